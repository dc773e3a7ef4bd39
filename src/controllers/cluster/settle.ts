import type { KubernetesObject } from "@kubernetes/client-node";
import type { Controller, KeyMapper } from "../runtime/controller.js";

/**
 * How long a Cluster's reconcile waits after the first change of a burst. A
 * `kubectl apply` of a cluster file, or a MachineDeployment scaled to R
 * replicas, arrives as one Cluster and R Machine events a few milliseconds
 * apart; reconciling at the first would plan a partial cluster and plan again
 * for the rest. Waiting a moment folds the burst into one plan and one apply.
 * Bounded: the first change's delay is never extended by later ones (the work
 * queue keeps the earliest due time), so a steady trickle still converges.
 */
export const DEFAULT_SETTLE_MS = 1_000;

/** The keys `mapKeys` gives, enqueued `settleMs` after the change instead of at once. */
export function settledKeys<T extends KubernetesObject>(
  controller: Controller,
  mapKeys: KeyMapper<T>,
  settleMs: number,
): KeyMapper<T> {
  if (settleMs <= 0) return mapKeys;
  return (object) => {
    for (const key of mapKeys(object)) controller.enqueue(key, settleMs);
    return [];
  };
}
