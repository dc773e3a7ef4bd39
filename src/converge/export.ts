import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type StackOptions, stackReadme } from "../../stacks/index.js";
import type { ClusterModel } from "../model/types.js";
import type { PlanCounts } from "../plans/plan-counts.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { clusterWorkDir } from "./options.js";

/**
 * The per-cluster export a pipeline runs unchanged:
 * `<dir>/<namespace>/<cluster>/` with `cdk.tf.json` (backend block included),
 * `README.md` (state, commands, environment) and, when the controller wrote it
 * for a plan, `clusterform-plan.json`. `clusterform synth` and the
 * controller's `--export-dir` both write it here.
 */

export const EXPORT_CONFIG_FILE = "cdk.tf.json";
export const EXPORT_README_FILE = "README.md";
export const EXPORT_PLAN_FILE = "clusterform-plan.json";

/** The plan the controller made from this configuration, for the pipeline to compare with its own. */
export interface ExportedPlan extends PlanCounts {
  id: string;
  /** sha256 of the cdk.tf.json bytes beside it: the plan is about exactly this file. */
  configHash: string;
  generatedAt: string;
  /** The Cluster's apply policy, and what clusterform does with the plan (apply, hold, none). */
  policy: string;
  action: string;
}

export interface ClusterExport {
  model: ClusterModel;
  /** The synthesized configuration (bytes of cdk.tf.json) and its one-line summary. */
  stack: { json: string; summary: string };
  stackOptions?: StackOptions;
  plan?: ExportedPlan;
}

/** Writes the export of one cluster under `outDir`; returns the path of its cdk.tf.json. */
export async function writeClusterExport(outDir: string, entry: ClusterExport): Promise<string> {
  const { model, stack, plan } = entry;
  const dir = clusterWorkDir(outDir, model);
  await mkdir(dir, { recursive: true });
  const config = join(dir, EXPORT_CONFIG_FILE);
  // Each file is replaced whole (a pipeline may be reading the directory); the plan last, naming the config it is about.
  await writeFileAtomic(config, stack.json);
  await writeFileAtomic(join(dir, EXPORT_README_FILE), stackReadme(model, stack, entry.stackOptions ?? {}));
  if (plan) {
    const { namespace, name } = model;
    const document = { formatVersion: 1, namespace, name, ...plan };
    await writeFileAtomic(join(dir, EXPORT_PLAN_FILE), `${JSON.stringify(document, null, 2)}\n`);
  }
  return config;
}
