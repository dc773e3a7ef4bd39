import type { KubernetesObject } from "@kubernetes/client-node";
import { canonicalJson } from "../../util/canonical-json.js";
import type { ObjectChange } from "./informer.js";

/**
 * Drops updates that changed nothing a reconcile reads as input: same
 * generation (spec), labels, annotations, finalizers, owner references and
 * deletionTimestamp, i.e. a write to status (or only resourceVersion and
 * managedFields). A controller watching with it does not reconcile again
 * because of its own status writes. Approvals and policy changes arrive as
 * annotation changes and always pass; adds, deletes and resyncs always pass,
 * and so does an update whose previous object is unknown.
 */
export function ignoreStatusOnlyUpdates<T extends KubernetesObject>(
  object: T,
  change: ObjectChange<T>,
): boolean {
  if (change.type !== "update" || !change.previous) return true;
  return reconcileInputs(change.previous) !== reconcileInputs(object);
}

function reconcileInputs(object: KubernetesObject): string {
  const metadata = object.metadata ?? {};
  return canonicalJson({
    generation: metadata.generation,
    labels: metadata.labels,
    annotations: metadata.annotations,
    finalizers: metadata.finalizers,
    ownerReferences: metadata.ownerReferences,
    deletionTimestamp: metadata.deletionTimestamp,
  });
}
