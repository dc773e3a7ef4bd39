import { writeClusterExport } from "../../converge/export.js";
import type { ConvergeOptions } from "../../converge/options.js";
import type { SynthResult } from "../../converge/stack-cache.js";
import type { ClusterModel } from "../../model/types.js";
import { planCounts } from "../../plans/plan-counts.js";
import type { PlanResult } from "../../terraform/types.js";

export interface PlanExport {
  id: string;
  generatedAt: string;
  policy: string;
  /** decideByPolicy's action: apply, hold or none. */
  action: string;
  /** The configuration is the one last applied (a drift check): exported again only if the plan has changes. */
  configUnchanged: boolean;
}

/**
 * `--export-dir`: a new plan's configuration is published where a pipeline
 * picks it up (the same files `clusterform synth` writes, plus the plan
 * summary). Under plan-only that is how the change reaches the cloud. A drift
 * check that finds nothing rewrites nothing (the export is already current).
 */
export async function exportPlan(
  exportDir: string | undefined,
  converge: ConvergeOptions,
  model: ClusterModel,
  stack: SynthResult,
  plan: PlanResult,
  about: PlanExport,
): Promise<void> {
  if (!exportDir || (about.configUnchanged && !plan.summary.hasChanges)) return;
  const { configUnchanged: _, ...summary } = about;
  await writeClusterExport(exportDir, {
    model,
    stack,
    ...(converge.awsEndpoint ? { stackOptions: { awsEndpoint: converge.awsEndpoint } } : {}),
    plan: { ...summary, configHash: stack.configHash, ...planCounts(plan.summary) },
  });
}
