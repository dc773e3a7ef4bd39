import { instanceAddress } from "../../stacks/index.js";
import { clusterLabel } from "../converge/options.js";
import {
  type AdoptedInstanceChange,
  adoptedInstanceChanges,
  withForcingAttributes,
} from "../plans/adopted-guard.js";
import type { PlannedCluster } from "./plan-clusters.js";

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
