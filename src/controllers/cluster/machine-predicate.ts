import type { KubernetesObject } from "@kubernetes/client-node";
import { type Machine, MachinePhase } from "../../api/machine.js";
import { canonicalJson } from "../../util/canonical-json.js";
import type { ObjectChange } from "../runtime/informer.js";
import { ignoreStatusOnlyUpdates } from "../runtime/predicates.js";

type WatchedMachine = Machine & KubernetesObject;

/**
 * The Machine watch's filter: status-only updates are dropped
 * (ignoreStatusOnlyUpdates), and so is the reconciler's own copy of the
 * provider ID into spec.providerID (Cluster API's convention). The stack
 * never reads spec.providerID and the status written right after the copy
 * observes the generation it made (status.ts), so the pass it would buy
 * could only find nothing to do: without this, every new Machine cost one
 * more pass.
 */
export function machineChangeMatters(machine: WatchedMachine, change: ObjectChange<WatchedMachine>): boolean {
  if (!ignoreStatusOnlyUpdates(machine, change)) return false;
  const previous = change.previous;
  if (change.type !== "update" || !previous) return true;
  return !isOwnProviderIDCopy(previous, machine);
}

/**
 * The copy lands right after the apply that created the instance and before
 * the status write that reports it, so its event shows: spec.providerID
 * going from unset to a value, the generation up by exactly one, nothing
 * else in spec or in the reconciler's other inputs changed, and a status
 * that is still the one written before the apply (no providerID, phase
 * Provisioning) or, for a copy an earlier pass left owed, already names that
 * providerID. A user's edit differs in one of these (another field, another
 * value, a Machine nobody is provisioning). The same edit made by hand at
 * such a moment is indistinguishable and loses nothing: the pass under way
 * meets it as a conflict on its own copy, and a pass comes back soon for
 * every copy still owed (reconcile.ts nextCheck).
 */
function isOwnProviderIDCopy(previous: WatchedMachine, machine: WatchedMachine): boolean {
  const providerID = machine.spec?.providerID;
  if (!providerID || previous.spec?.providerID) return false;
  const generation = previous.metadata?.generation;
  if (generation === undefined || machine.metadata?.generation !== generation + 1) return false;
  const status = machine.status;
  const reported = status?.providerID === providerID;
  const beingCreated = !status?.providerID && status?.phase === MachinePhase.Provisioning;
  if (!reported && !beingCreated) return false;
  const without = (m: WatchedMachine) => {
    const { providerID: _, ...spec } = m.spec ?? {};
    const { generation: _g, resourceVersion: _r, managedFields: _m, ...metadata } = m.metadata ?? {};
    return canonicalJson({ spec, metadata });
  };
  return without(previous) === without(machine);
}
