import type { KubernetesObject } from "@kubernetes/client-node";
import { APPROVE_PLAN_ANNOTATION } from "../../plans/approval.js";
import { canonicalJson } from "../../util/canonical-json.js";
import type { Controller, KeyMapper } from "../runtime/controller.js";
import type { ObjectChange } from "../runtime/informer.js";

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

/**
 * The keys `mapKeys` gives, enqueued `settleMs` after the change instead of
 * at once; a change `atOnce` accepts is enqueued at once (the queue keeps the
 * earliest due time, so it also cuts a settle already under way short).
 */
export function settledKeys<T extends KubernetesObject>(
  controller: Controller,
  mapKeys: KeyMapper<T>,
  settleMs: number,
  atOnce?: (object: T, change: ObjectChange<T> | undefined) => boolean,
): KeyMapper<T> {
  if (settleMs <= 0) return mapKeys;
  return (object, change) => {
    const delay = atOnce?.(object, change) ? 0 : settleMs;
    for (const key of mapKeys(object, change)) controller.enqueue(key, delay);
    return [];
  };
}

/**
 * An update of a Cluster whose only change is its plan approval: a lone,
 * deliberate act (no burst follows it) that the reviewer waits on, so it is
 * not settled.
 */
export function approvalOnly<T extends KubernetesObject>(
  object: T,
  change: ObjectChange<T> | undefined,
): boolean {
  const previous = change?.type === "update" ? change.previous : undefined;
  if (!previous) return false;
  const before = previous.metadata?.annotations?.[APPROVE_PLAN_ANNOTATION];
  const after = object.metadata?.annotations?.[APPROVE_PLAN_ANNOTATION];
  if (after === undefined || after === before) return false;
  const rest = (o: T) => {
    const { [APPROVE_PLAN_ANNOTATION]: _, ...annotations } = o.metadata?.annotations ?? {};
    const { status: _s, metadata, ...body } = o as T & { status?: unknown };
    const { labels, finalizers, deletionTimestamp } = metadata ?? {};
    return canonicalJson({ body, labels, finalizers, deletionTimestamp, annotations });
  };
  return rest(previous) === rest(object);
}
