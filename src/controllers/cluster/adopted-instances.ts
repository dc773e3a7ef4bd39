import { instanceAddress } from "../../../stacks/index.js";
import { ADOPT_INSTANCE_ANNOTATION } from "../../api/annotations.js";
import { EventReason } from "../../api/event-reasons.js";
import type { ClusterTerraform } from "../../converge/cluster-terraform.js";
import type { ClusterModel } from "../../model/types.js";
import {
  type AdoptedInstance,
  type AdoptedInstanceChange,
  adoptedInstanceChanges,
  describeAdoptedChange,
  withForcingAttributes,
} from "../../plans/adopted-guard.js";
import type { PlanResult } from "../../terraform/types.js";
import type { ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";

/**
 * Adopted instances the plan would destroy, with the attributes that force
 * it. Machines being deleted count too (their annotation is still there):
 * deleting an adopting Machine without `on-delete: orphan` is held as well.
 * `show -json` runs only when such a change is planned.
 */
export async function adoptedInstancesDestroyed(
  scope: ClusterScope,
  model: ClusterModel,
  plan: PlanResult,
  terraform: Pick<ClusterTerraform, "showPlan">,
  signal?: AbortSignal,
): Promise<AdoptedInstanceChange[]> {
  const adopted: AdoptedInstance[] = scope.machines.flatMap((machine) => {
    const instanceId = machine.metadata.annotations?.[ADOPT_INSTANCE_ANNOTATION]?.trim();
    const name = machine.metadata.name ?? "";
    return instanceId ? [{ machine: name, instanceId, address: instanceAddress(model.provider, name) }] : [];
  });
  const found = adoptedInstanceChanges(adopted, plan.summary.changes);
  if (found.length === 0) return [];
  const shown = await terraform.showPlan(plan.planFile, {
    json: true,
    text: false,
    ...(signal ? { signal } : {}),
  });
  return withForcingAttributes(found, shown.json?.resourceChanges ?? []);
}

/** A Warning Event on each Machine whose adopted instance the held plan would destroy. */
export async function reportAdoptedHeld(
  store: ClusterStore,
  scope: ClusterScope,
  changes: readonly AdoptedInstanceChange[],
  planId: string,
  approve: string,
): Promise<void> {
  for (const change of changes) {
    const machine = scope.machines.find((m) => m.metadata.name === change.machine);
    if (!machine) continue;
    const message = `plan ${planId} ${describeAdoptedChange(change)}; held under every apply policy. Approve it to allow this: ${approve}; or change the Machine to match the instance`;
    await store.event(machine, "Warning", EventReason.AdoptedInstanceProtected, message);
  }
}
