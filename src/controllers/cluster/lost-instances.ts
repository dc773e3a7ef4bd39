import { machineResourceAddress } from "../../../stacks/index.js";
import { approveCommand } from "../../plans/approval.js";
import {
  describeLostInstance,
  type LostInstanceOutlook,
  lostInstanceIds,
} from "../../plans/lost-instances.js";
import type { LostInstance } from "../../status/observations.js";
import { observeStack } from "../../status/outputs.js";
import type { ChangeAction, ResourceChangeRef } from "../../terraform/types.js";
import type { ClusterScope } from "./scope.js";

/**
 * The instances a drift check found gone, by Machine (for scope.drift.lost):
 * `drifted` is what driftedResources() returned for the plan.
 */
export function instancesFoundGone(
  scope: ClusterScope,
  drifted: readonly ResourceChangeRef[],
): Map<string, string> {
  const model = scope.model;
  if (!model) return new Map();
  const byAddress = new Map(drifted.map((ref) => [ref.address, ref.action]));
  const actions = new Map<string, ChangeAction>();
  for (const { name } of model.machines) {
    const action = byAddress.get(machineResourceAddress(model, name));
    if (action) actions.set(name, action);
  }
  return lostInstanceIds(recordedInstanceIds(scope), actions);
}

/**
 * Every Machine whose recorded instance is gone, with its Ready message: those
 * this pass's drift check found, and (on later passes, when no plan runs)
 * those the held plan creates anew although the last apply recorded one.
 */
export function lostInstances(scope: ClusterScope): Map<string, LostInstance> {
  const recorded = recordedInstanceIds(scope);
  const held = scope.planPending;
  const heldActions = new Map([...(held?.notes ?? [])].map(([name, note]) => [name, note.action]));
  const gone = new Map([...(scope.drift?.lost ?? []), ...lostInstanceIds(recorded, heldActions)]);
  const lost = new Map<string, LostInstance>();
  for (const [name, instanceId] of gone) {
    // An apply since recorded a new instance: corrected.
    if (recorded.get(name) !== instanceId) continue;
    const outlook: LostInstanceOutlook =
      held && heldActions.get(name) === "create"
        ? held.policy === "plan-only"
          ? { kind: "plan-only", planId: held.id }
          : {
              kind: "held",
              planId: held.id,
              approveCommand: approveCommand(scope.key.namespace, scope.key.name, held.id),
            }
        : { kind: "correcting" };
    lost.set(name, { instanceId, message: describeLostInstance(instanceId, outlook) });
  }
  return lost;
}

/** Machine name -> the instance id the recorded outputs give it. */
function recordedInstanceIds(scope: ClusterScope): Map<string, string> {
  const provider = scope.model?.provider ?? scope.applied?.provider;
  if (!scope.outputs || !provider) return new Map();
  const machines = observeStack(provider, scope.outputs).machines;
  const ids = new Map<string, string>();
  for (const [name, observation] of machines) {
    const id = observation.providerStatus.instanceID;
    if (id) ids.set(name, id);
  }
  return ids;
}
