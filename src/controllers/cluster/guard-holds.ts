import { instanceAddress } from "../../../stacks/index.js";
import { INIT_MACHINE_ANNOTATION } from "../../bootstrap/index.js";
import type { ClusterTerraform } from "../../converge/cluster-terraform.js";
import type { ClusterModel } from "../../model/types.js";
import { type AdoptedInstanceChange, adoptedInstancesHold } from "../../plans/adopted-guard.js";
import { controlPlaneInstances, singleControlPlaneHold } from "../../plans/control-plane-guard.js";
import type { GuardHold } from "../../plans/guards.js";
import type { PlanResult } from "../../terraform/types.js";
import { adoptedInstancesDestroyed } from "./adopted-instances.js";
import type { ClusterScope } from "./scope.js";

/**
 * What the guards (src/plans/guards.ts) hold this plan for: adopted
 * instances it destroys, and the loss of the only control plane (its
 * Machines by spec, plus the init machine recorded on the Cluster).
 */
export async function planGuardHolds(
  scope: ClusterScope,
  model: ClusterModel,
  plan: PlanResult,
  terraform: Pick<ClusterTerraform, "showPlan">,
  signal?: AbortSignal,
): Promise<{ adopted: AdoptedInstanceChange[]; holds: GuardHold[] }> {
  const adopted = await adoptedInstancesDestroyed(scope, model, plan, terraform, signal);
  const controlPlanes = controlPlaneInstances(
    model.machines,
    (machine) => instanceAddress(model.provider, machine),
    scope.cluster.metadata.annotations?.[INIT_MACHINE_ANNOTATION],
  );
  const holds = [adoptedInstancesHold(adopted), singleControlPlaneHold(controlPlanes, plan.summary.changes)];
  return { adopted, holds: holds.flatMap((hold) => (hold ? [hold] : [])) };
}
