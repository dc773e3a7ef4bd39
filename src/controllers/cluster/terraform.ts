import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LOCAL_STATE_PATH } from "../../../stacks/index.js";
import type { PlanSummaryStatus } from "../../api/cluster.js";
import { ClusterRun } from "../../converge/cluster-run.js";
import type { ConvergeOptions } from "../../converge/options.js";
import type { ClusterModel } from "../../model/types.js";
import type { PlanResult } from "../../terraform/types.js";
import { recordableOutputs, writeAppliedRecord } from "./applied-record.js";
import { shouldApply, type Verdict } from "./gates.js";
import { EventReason } from "./names.js";
import type { ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";
import { type SynthResult, sha256 } from "./synth.js";

export interface ConvergeContext {
  store: ClusterStore;
  converge: ConvergeOptions;
  signal?: AbortSignal;
}

export interface ConvergeOutcome {
  plan: PlanResult;
  apply: Verdict;
  applied: boolean;
}

/**
 * plan -> gate -> apply -> outputs for one cluster, over the converge run the
 * CLI uses. The stack was synthesized by the caller (cached), so the run only
 * writes its bytes. On success the outputs land in the scope and the applied
 * record; a held plan leaves both as they were.
 */
export async function convergeStack(
  context: ConvergeContext,
  scope: ClusterScope,
  model: ClusterModel,
  stack: SynthResult,
): Promise<ConvergeOutcome> {
  const { store, signal } = context;
  const run = new ClusterRun(model, context.converge);
  await run.workspace.writeConfig(stack.json);
  await store.event(scope.cluster, "Normal", EventReason.PlanStarted, `planning ${stack.summary}`);
  const priorState = await readFile(join(scope.workDir, LOCAL_STATE_PATH), "utf8").catch(() => "");
  const plan = await run.plan(signal ? { signal } : {});
  await store.event(scope.cluster, "Normal", EventReason.PlanFinished, describePlan(plan));
  const verdict = shouldApply(scope, plan);
  scope.plan = planStatus(plan, priorState, verdict.ok || !plan.summary.hasChanges ? "Applied" : "Pending");
  if (!verdict.ok && plan.summary.hasChanges) {
    await store.event(scope.cluster, "Normal", EventReason.ApplyHeld, verdict.reason);
    return { plan, apply: verdict, applied: false };
  }
  let outputs = scope.applied?.outputs;
  if (verdict.ok) {
    await store.event(scope.cluster, "Normal", EventReason.ApplyStarted, describePlan(plan));
    const result = await run.apply(plan, signal).catch((error: unknown) => {
      scope.plan = { ...(scope.plan as PlanSummaryStatus), state: "Failed" };
      throw error;
    });
    const { add, change, destroy } = result.applied;
    await store.event(
      scope.cluster,
      "Normal",
      EventReason.ApplyFinished,
      `applied: ${add} added, ${change} changed, ${destroy} destroyed`,
    );
    outputs = recordableOutputs(result.outputs);
  } else if (!outputs) {
    outputs = recordableOutputs(await run.outputs(signal));
  }
  scope.outputs = outputs;
  scope.applied = {
    configHash: stack.configHash,
    provider: model.provider,
    outputs,
    appliedAt: new Date().toISOString(),
  };
  await writeAppliedRecord(scope.workDir, scope.applied);
  return { plan, apply: verdict, applied: verdict.ok };
}

/**
 * status.plan: the id is derived from the configuration and the prior state,
 * so the same id always means the same proposed changes (an approval can
 * never ride along to a different plan).
 */
export function planStatus(plan: PlanResult, priorState: string, state: string): PlanSummaryStatus {
  const { add, change, destroy, replace } = plan.summary;
  const id = sha256(`${plan.configHash}\n${sha256(priorState)}`).slice(0, 16);
  return { id, add, change, destroy, replace, generatedAt: new Date().toISOString(), state };
}

export function describePlan(plan: PlanResult): string {
  const { add, change, destroy, replace } = plan.summary;
  if (!plan.summary.hasChanges) return "plan: no changes";
  return `plan: ${add} to add, ${change} to change, ${destroy} to destroy${replace ? ` (${replace} replaced)` : ""}`;
}
