import { instanceAddress } from "../../stacks/index.js";
import { clusterLabel } from "../converge/options.js";
import { describeAdoptedChange } from "../plans/adopted-guard.js";
import {
  controlPlaneInstances,
  controlPlaneLoss,
  describeControlPlaneLoss,
} from "../plans/control-plane-guard.js";
import type { GuardName } from "../plans/guards.js";
import { adoptedAtRisk } from "./adopted-consent.js";
import { recordedInitMachines } from "./bootstrap/file-store.js";
import { ExitCode, UsageError } from "./exit.js";
import type { PlannedCluster } from "./plan-clusters.js";

/**
 * File mode's side of the guards (src/plans/guards.ts): what the controller
 * holds until a plan id is approved, `apply` shows as a warning above the
 * question and, unattended (--auto-approve), refuses without the guard's flag.
 */

/** One cluster's plan a guard objects to; `what` lines read "the plan ...". */
export interface PlanAtRisk {
  cluster: string;
  guard: GuardName;
  what: string[];
}

export interface GuardFlags {
  autoApprove?: boolean;
  allowReplaceAdopted?: boolean;
  allowReplaceControlPlane?: boolean;
}

interface Consent {
  flag: string;
  given: (flags: GuardFlags) => boolean;
  title: string;
  advice: string;
}

export const GUARD_CONSENT: Record<GuardName, Consent> = {
  "adopted-instance": {
    flag: "--allow-replace-adopted",
    given: (flags) => Boolean(flags.allowReplaceAdopted),
    title: "adopted instances would be DESTROYED",
    advice: "Change the Machine to match the instance to keep it.",
  },
  "single-control-plane": {
    flag: "--allow-replace-control-plane",
    given: (flags) => Boolean(flags.allowReplaceControlPlane),
    title: "the only control plane would be DESTROYED (and etcd with it)",
    advice: "Add control-plane Machines at the new version first, or keep the Machine as it is.",
  },
};

/**
 * The plans a guard objects to. The control planes counted are the
 * Machines with spec.versions.controlPlane plus each cluster's init machine
 * recorded under `stateDir` (a control plane even when gone from the files),
 * as the controller counts the one recorded on the Cluster.
 */
export async function plansAtRisk(
  planned: readonly PlannedCluster[],
  stateDir: string,
): Promise<PlanAtRisk[]> {
  const initMachines = await recordedInitMachines(stateDir);
  const found: PlanAtRisk[] = (await adoptedAtRisk(planned)).map(({ cluster, changes }) => ({
    cluster,
    guard: "adopted-instance",
    what: changes.map((change) => `the plan ${describeAdoptedChange(change)}`),
  }));
  for (const { run, plan } of planned) {
    const { model } = run;
    const controlPlanes = controlPlaneInstances(
      model.machines,
      (machine) => instanceAddress(model.provider, machine),
      initMachines.get(clusterLabel(model)),
    );
    const loss = controlPlaneLoss(controlPlanes, plan.summary.changes);
    if (loss)
      found.push({
        cluster: clusterLabel(model),
        guard: "single-control-plane",
        what: [describeControlPlaneLoss(loss)],
      });
  }
  return found;
}

/** The warnings printed above the plans (and the question): they must not be missed. */
export function riskWarning(atRisk: readonly PlanAtRisk[]): string {
  return (Object.keys(GUARD_CONSENT) as GuardName[])
    .map((guard) => {
      const mine = atRisk.filter((risk) => risk.guard === guard);
      if (mine.length === 0) return "";
      const lines = mine.flatMap(({ cluster, what }) => what.map((line) => `  ${cluster}: ${line}`));
      const { title, advice } = GUARD_CONSENT[guard];
      return `\n!! WARNING: ${title} !!\n${lines.join("\n")}\n  ${advice}\n`;
    })
    .join("");
}

/**
 * Unattended (`--auto-approve`), a guarded loss happens only with the
 * guard's explicit flag; asked at a terminal, answering "yes" below the
 * warning is the consent.
 */
export function refuseUnattendedLoss(
  atRisk: readonly PlanAtRisk[],
  flags: GuardFlags,
  /** Clusters already applied in one run (nothing destroyed) before the others were planned. */
  alreadyApplied: readonly string[] = [],
): void {
  if (!flags.autoApprove) return;
  const refused = atRisk.filter((risk) => !GUARD_CONSENT[risk.guard].given(flags));
  if (refused.length === 0) return;
  const what = refused.flatMap(({ cluster, what }) => what.map((line) => `${cluster}: ${line}`)).join("; ");
  const flagsNeeded = [...new Set(refused.map((risk) => GUARD_CONSENT[risk.guard].flag))];
  const advice = [...new Set(refused.map((risk) => GUARD_CONSENT[risk.guard].advice))].join(" ");
  throw new UsageError(
    `refusing to apply: ${what}. ${unchanged(alreadyApplied)} ${advice} Or re-run with ${flagsNeeded.join(" and ")} to let it be destroyed.`,
    ExitCode.Declined,
  );
}

function unchanged(alreadyApplied: readonly string[]): string {
  if (alreadyApplied.length === 0) return "Nothing was changed.";
  return `Nothing else was changed (applied in one run, nothing destroyed: ${alreadyApplied.join(", ")}).`;
}
