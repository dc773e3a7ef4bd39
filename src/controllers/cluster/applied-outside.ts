import { EventReason } from "../../api/event-reasons.js";
import type { PendingPlanRecord } from "./pending-plan.js";
import type { ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";

/**
 * The held plan whose state moved under it while the configuration stayed
 * the same (the new plan was made against another state): someone, a
 * pipeline applying the export, wrote the state. If the new plan finds no
 * changes, that held plan was applied outside clusterform.
 */
export function overtakenPlan(
  pending: PendingPlanRecord | undefined,
  plannedStateFingerprint: string,
  configHash: string,
): PendingPlanRecord | undefined {
  if (!pending || pending.configHash !== configHash) return undefined;
  return pending.stateFingerprint === plannedStateFingerprint ? undefined : pending;
}

/**
 * status.plan shows the overtaken plan as applied, by someone else; the
 * statuses then come from the shared state's outputs (the caller reads them).
 */
export async function markAppliedOutside(
  store: ClusterStore,
  scope: ClusterScope,
  overtaken: PendingPlanRecord,
): Promise<void> {
  const { id, add, change, destroy, replace, generatedAt } = overtaken;
  scope.plan = { id, add, change, destroy, replace, generatedAt, state: "Applied", appliedBy: "external" };
  scope.planPending = undefined;
  const message = `plan ${id} was applied outside clusterform: the shared state moved and a new plan finds no changes; statuses are read from that state`;
  await store.event(scope.cluster, "Normal", EventReason.AppliedOutside, message);
}
