import { instanceAddress } from "../../stacks/index.js";
import { clusterLabel } from "../converge/options.js";
import {
  type AdoptedInstanceChange,
  adoptedInstanceChanges,
  describeAdoptedChange,
  withForcingAttributes,
} from "../plans/adopted-guard.js";
import { ExitCode, UsageError } from "./exit.js";
import type { PlannedCluster } from "./plan-clusters.js";

/** `apply --allow-replace-adopted`: the one way to let an unattended apply destroy an adopted instance. */
export const ALLOW_REPLACE_ADOPTED_FLAG = "--allow-replace-adopted";

export interface AdoptedAtRisk {
  cluster: string;
  changes: AdoptedInstanceChange[];
}

/**
 * The adopted instances (Machines annotated clusterform.io/adopt-instance-id
 * in the files) each plan would replace or delete, with the attributes that
 * force it. `show -json` runs only for a plan that touches one.
 */
export async function adoptedAtRisk(planned: readonly PlannedCluster[]): Promise<AdoptedAtRisk[]> {
  const found: AdoptedAtRisk[] = [];
  for (const { run, plan } of planned) {
    const { model } = run;
    const adopted = model.machines.flatMap((machine) =>
      machine.adoptId === undefined
        ? []
        : [
            {
              machine: machine.name,
              instanceId: machine.adoptId,
              address: instanceAddress(model.provider, machine.name),
            },
          ],
    );
    const changes = adoptedInstanceChanges(adopted, plan.summary.changes);
    if (changes.length === 0) continue;
    const shown = await run.showPlan(plan.planFile, { json: true, text: false });
    found.push({
      cluster: clusterLabel(model),
      changes: withForcingAttributes(changes, shown.json?.resourceChanges ?? []),
    });
  }
  return found;
}

/** The warning printed above the plans (and the question): it must not be missed. */
export function adoptedWarning(atRisk: readonly AdoptedAtRisk[]): string {
  const lines = atRisk.flatMap(({ cluster, changes }) =>
    changes.map((change) => `  ${cluster}: the plan ${describeAdoptedChange(change)}`),
  );
  return `\n!! WARNING: adopted instances would be DESTROYED !!\n${lines.join("\n")}\n  Change the Machine to match the instance to keep it.\n`;
}

/**
 * Unattended (`--auto-approve`), an adopted instance is destroyed only with
 * the explicit flag; asked at a terminal, answering "yes" below the warning
 * is the consent.
 */
export function refuseUnattendedAdoptedLoss(
  atRisk: readonly AdoptedAtRisk[],
  flags: { autoApprove?: boolean; allowReplaceAdopted?: boolean },
): void {
  if (atRisk.length === 0 || !flags.autoApprove || flags.allowReplaceAdopted) return;
  const what = atRisk
    .flatMap(({ cluster, changes }) => changes.map((c) => `${cluster}: the plan ${describeAdoptedChange(c)}`))
    .join("; ");
  throw new UsageError(
    `refusing to apply: ${what}. Nothing was changed. Change the Machine to match the instance, or re-run with ${ALLOW_REPLACE_ADOPTED_FLAG} to let it be destroyed.`,
    ExitCode.Declined,
  );
}
