import { ClusterRun } from "../converge/cluster-run.js";
import type { ConvergeOptions } from "../converge/options.js";
import type { ClusterModel } from "../model/types.js";
import type { PlanResult } from "../terraform/types.js";
import { type ClusterOutcome, eachCluster } from "./each-cluster.js";
import { planLine } from "./print.js";
import type { Reporter } from "./reporter.js";

export interface PlannedCluster {
  run: ClusterRun;
  plan: PlanResult;
  /** Terraform's redacted rendering of the plan, when asked for and there are changes. */
  text?: string;
}

/** synth -> init -> plan for every cluster, concurrently within the limit. */
export function planClusters(
  models: readonly ClusterModel[],
  options: ConvergeOptions,
  limit: number,
  reporter: Reporter,
  planOptions: { destroy?: boolean; render?: boolean } = {},
): Promise<ClusterOutcome<PlannedCluster>[]> {
  return eachCluster(models, limit, reporter, async (model) => {
    const run = new ClusterRun(model, options);
    await run.prepare();
    reporter.step(model, `stack: ${run.stackSummary}`);
    const plan = await run.plan(planOptions.destroy ? { destroy: true } : {});
    reporter.step(model, `plan: ${plan.summary.hasChanges ? planLine(plan.summary) : "no changes"}`);
    if (!planOptions.render || !plan.summary.hasChanges) return { run, plan };
    return { run, plan, text: (await run.show(plan)).text ?? "" };
  });
}

/** The plan as a short list for people: one line per resource change. */
export function describeChanges(plan: PlanResult): string {
  if (!plan.summary.hasChanges) return "  No changes.\n";
  const lines = plan.summary.changes.map(
    (c) => `  ${symbol(c.action)} ${c.address}${c.reason ? ` (${c.reason})` : ""}`,
  );
  return `${lines.join("\n")}\n  Plan: ${planLine(plan.summary)}\n`;
}

function symbol(action: string): string {
  switch (action) {
    case "create":
      return "+";
    case "delete":
      return "-";
    case "update":
      return "~";
    case "replace":
      return "-/+";
    case "import":
      return "<=";
    default:
      return action;
  }
}
