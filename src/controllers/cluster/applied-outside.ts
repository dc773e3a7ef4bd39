import { EventReason } from "./names.js";
import type { PendingPlanRecord } from "./pending-plan.js";
import type { PriorState } from "./prior-state.js";
import type { ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";

/**
 * The held plan whose state moved under it while the configuration stayed
 * the same: someone (a pipeline applying the export) wrote the shared state.
 * If the new plan then finds no changes, that held plan was applied outside.
 */
export function overtakenPlan(
  pending: PendingPlanRecord | undefined,
  prior: PriorState,
  configHash: string,
): PendingPlanRecord | undefined {
  if (!pending || prior.text === undefined) return undefined;
  if (pending.configHash !== configHash || pending.stateFingerprint === prior.fingerprint) return undefined;
  return pending;
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
