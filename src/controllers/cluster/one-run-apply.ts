import { EventReason } from "../../api/event-reasons.js";
import type { SynthResult } from "../../converge/stack-cache.js";
import type { ClusterModel } from "../../model/types.js";
import { driftedResources } from "../../plans/drift.js";
import { type OneRunDecision, oneRunDecision } from "../../plans/one-run.js";
import { planId } from "../../plans/plan-id.js";
import { stateResourceAddresses } from "../../terraform/direct-apply.js";
import { emptyPlanSummary } from "../../terraform/ui-stream.js";
import { markApplyStarted, writeAppliedRecord } from "./applied-record.js";
import { removePendingPlan } from "./pending-plan.js";
import {
  finishApply,
  observeDrift,
  oneRunBasics,
  type PlanFlowContext,
  runnerFor,
  type StackDecision,
  summaryStatus,
} from "./plan-flow.js";
import type { ClusterScope } from "./scope.js";
import { describePlan } from "./terraform.js";

/** Whether this pass's change may be planned and applied in one run (no Terraform needed to tell). */
export function oneRunFor(
  context: PlanFlowContext,
  scope: ClusterScope,
  stack: SynthResult,
  decision: StackDecision,
): OneRunDecision {
  return oneRunDecision({
    ...oneRunBasics(context, scope, stack, decision.policy.policy, decision.pending),
    // A new working directory over a shared state: a plan tells what, if anything, differs.
    lastApplyUnknown: scope.applied === undefined,
    stateResources: decision.stateRead ? stateResourceAddresses(decision.priorState) : undefined,
    configResources: stack.resources,
  });
}

/**
 * Under the `auto` policy, a change that destroys nothing is planned and
 * applied by one Terraform run (when oneRunFor allows it). False when
 * Terraform refused the run because its plan would destroy or replace
 * something: nothing changed, and the reviewed flow with its guards takes over.
 */
export async function applyInOneRun(
  context: PlanFlowContext,
  scope: ClusterScope,
  model: ClusterModel,
  stack: SynthResult,
  decision: StackDecision,
  expectedChanges: number,
): Promise<boolean> {
  const { store, signal } = context;
  const run = runnerFor(context, scope, model);
  await run.writeConfig(stack.json);
  const id = planId({ configHash: stack.configHash, priorState: decision.priorState });
  await store.event(
    scope.cluster,
    "Normal",
    EventReason.ApplyStarted,
    `planning and applying ${stack.summary} in one run as plan ${id} (apply policy auto; a plan that would destroy anything stops before any change)`,
  );
  const before = scope.applied;
  scope.applied = await markApplyStarted(scope.workDir, scope.applied, stack.configHash);
  const result = await run

    .applyDirect({ expectedChanges, ...(signal ? { signal } : {}) })
    .catch((error: unknown) => {
      scope.plan = { ...summaryStatus({ summary: emptyPlanSummary() }, id, context.now()), state: "Failed" };
      throw error;
    });
  if (result.kind === "refused") {
    // Nothing was applied: the record is as it was, and the usual plan follows.
    scope.applied = before;
    if (before) await writeAppliedRecord(scope.workDir, before);
    await store.event(
      scope.cluster,
      "Normal",
      EventReason.OneRunRefused,
      `the change would destroy or replace ${result.wouldDestroy.join(", ") || "resources"}: planning it for the apply policy and guards to judge`,
    );
    return false;
  }
  await store.event(
    scope.cluster,
    "Normal",
    EventReason.PlanFinished,
    describePlan({ summary: result.plan }),
  );
  scope.drift = observeDrift(context, scope, driftedResources(result.plan, false));
  if (scope.drift.drifted)
    await store.event(scope.cluster, "Warning", EventReason.DriftDetected, scope.drift.message);
  scope.plan = { ...summaryStatus({ summary: result.plan }, id, context.now()), state: "Applied" };
  await removePendingPlan(scope.workDir);
  await finishApply(context, scope, model, stack, result.apply, id);
  return true;
}
