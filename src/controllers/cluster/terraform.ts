import type { PlanSummaryStatus } from "../../api/cluster.js";
import { planId } from "../../plans/plan-id.js";
import type { PlanResult } from "../../terraform/types.js";

/**
 * status.plan: the id is derived from the configuration and the prior state
 * (src/plans/plan-id.ts), so the same id always means the same proposed
 * changes (an approval can never ride along to a different plan).
 */
export function planStatus(plan: PlanResult, priorState: string, state: string): PlanSummaryStatus {
  const { add, change, destroy, replace } = plan.summary;
  const id = planId({ configHash: plan.configHash, priorState });
  return { id, add, change, destroy, replace, generatedAt: new Date().toISOString(), state };
}

export function describePlan(plan: Pick<PlanResult, "summary">): string {
  const { add, change, destroy, replace } = plan.summary;
  if (!plan.summary.hasChanges) return "plan: no changes";
  return `plan: ${add} to add, ${change} to change, ${destroy} to destroy${replace ? ` (${replace} replaced)` : ""}`;
}
