import type { KubernetesObject } from "@kubernetes/client-node";
import type { Machine } from "../../api/machine.js";
import { canonicalJson } from "../../util/canonical-json.js";
import type { ObjectChange } from "../runtime/informer.js";
import { ignoreStatusOnlyUpdates } from "../runtime/predicates.js";

type WatchedMachine = Machine & KubernetesObject;

/**
 * The Machine watch's filter: status-only updates are dropped
 * (ignoreStatusOnlyUpdates), and so is the reconciler's own copy of
 * status.providerID into spec.providerID (Cluster API's convention). That
 * copy moves the generation, but the stack never reads spec.providerID, so
 * the pass it would buy could only find nothing to do.
 */
export function machineChangeMatters(machine: WatchedMachine, change: ObjectChange<WatchedMachine>): boolean {
  if (!ignoreStatusOnlyUpdates(machine, change)) return false;
  const previous = change.previous;
  if (change.type !== "update" || !previous) return true;
  return !isOwnProviderIDCopy(previous, machine);
}

function isOwnProviderIDCopy(previous: WatchedMachine, machine: WatchedMachine): boolean {
  const providerID = machine.spec?.providerID;
  if (!providerID || providerID === previous.spec?.providerID) return false;
  if (providerID !== machine.status?.providerID) return false;
  const without = (m: WatchedMachine) => {
    const { providerID: _, ...spec } = m.spec ?? {};
    const { generation: _g, resourceVersion: _r, managedFields: _m, ...metadata } = m.metadata ?? {};
    return canonicalJson({ spec, metadata });
  };
  return without(previous) === without(machine);
}
