import type { ClusterPki } from "../bootstrap/index.js";
import { ClusterRun } from "../converge/cluster-run.js";
import type { ConvergeOptions } from "../converge/options.js";
import type { ClusterModel } from "../model/types.js";
import { oneRunDecision } from "../plans/one-run.js";
import { planCounts } from "../plans/plan-counts.js";
import { isSharedBackend } from "../plans/shared-state.js";
import { stateResourceAddresses } from "../terraform/direct-apply.js";
import type { ApplyResult, PlanResult, PlanSummary } from "../terraform/types.js";
import { emptyPlanSummary } from "../terraform/ui-stream.js";
import { prepareFileBootstrap } from "./bootstrap/prepare.js";
import { type ClusterOutcome, eachCluster } from "./each-cluster.js";
import { errorMessage } from "./errors.js";
import { withRecordedOrphans } from "./orphan-record.js";
import { planLine } from "./print.js";
import type { Reporter } from "./reporter.js";

export interface PlannedCluster {
  run: ClusterRun;
  plan: PlanResult;
  /** Terraform's redacted rendering of the plan, when asked for and there are changes. */
  text?: string;
  /** A bootstrapped cluster's PKI, for the kubeconfig written after apply. */
  pki?: ClusterPki;
}

/** A cluster `apply --auto-approve` planned and applied in one Terraform run (nothing to destroy). */
export interface AppliedInOneRun {
  run: ClusterRun;
  plan: PlanSummary;
  apply: ApplyResult;
  pki?: ClusterPki;
}

interface PreparedCluster {
  run: ClusterRun;
  pki?: ClusterPki;
}

/** bootstrap material -> synth -> init -> plan for every cluster, concurrently within the limit. */
export function planClusters(
  models: readonly ClusterModel[],
  options: ConvergeOptions,
  limit: number,
  reporter: Reporter,
  planOptions: { destroy?: boolean; render?: boolean } = {},
): Promise<ClusterOutcome<PlannedCluster>[]> {
  return eachCluster(models, limit, reporter, async (fromFiles) =>
    planPrepared(await prepareCluster(fromFiles, options, reporter), reporter, planOptions),
  );
}

/**
 * Unattended apply: a cluster whose change can destroy nothing (the same
 * rule as the controller's under `auto`, src/plans/one-run.ts) is planned
 * and applied in one Terraform run; Terraform refuses it, changing nothing,
 * if its plan would destroy or replace anything, and it is then planned like
 * every other cluster for the guards to judge.
 */
export function planOrApplyClusters(
  models: readonly ClusterModel[],
  options: ConvergeOptions,
  limit: number,
  reporter: Reporter,
): Promise<ClusterOutcome<PlannedCluster | AppliedInOneRun>[]> {
  return eachCluster(models, limit, reporter, async (fromFiles) => {
    const prepared = await prepareCluster(fromFiles, options, reporter);
    return (await applyInOneRun(prepared, reporter)) ?? planPrepared(prepared, reporter, {});
  });
}

export function isAppliedInOneRun(value: PlannedCluster | AppliedInOneRun): value is AppliedInOneRun {
  return "apply" in value;
}

async function prepareCluster(
  fromFiles: ClusterModel,
  options: ConvergeOptions,
  reporter: Reporter,
): Promise<PreparedCluster> {
  const prepared = await prepareFileBootstrap(
    await withRecordedOrphans(fromFiles, options.stateDir),
    options.stateDir,
  );
  const { model, pki } = prepared;
  for (const warning of prepared.warnings) reporter.step(model, `warning: ${warning}`);
  const run = new ClusterRun(model, options, prepared.variables);
  await run.prepare();
  reporter.step(model, `stack: ${run.stackSummary}`);
  return { run, ...(pki ? { pki } : {}) };
}

async function planPrepared(
  { run, pki }: PreparedCluster,
  reporter: Reporter,
  planOptions: { destroy?: boolean; render?: boolean },
): Promise<PlannedCluster> {
  const plan = await run.plan(planOptions.destroy ? { destroy: true } : {});
  reporter.step(run.model, `plan: ${plan.summary.hasChanges ? planLine(plan.summary) : "no changes"}`);
  const planned = { run, plan, ...(pki ? { pki } : {}) };
  if (!planOptions.render || !plan.summary.hasChanges) return planned;
  // Text only: the JSON rendering would cost another Terraform run nobody reads here.
  const shown = await run.showPlan(plan.planFile, { text: true, json: false });
  return { ...planned, text: shown.text ?? "" };
}

async function applyInOneRun(
  { run, pki }: PreparedCluster,
  reporter: Reporter,
): Promise<AppliedInOneRun | undefined> {
  const { model } = run;
  // A shared state costs a run to read (`state pull`, no provider): far less than the plan it saves.
  const state = isSharedBackend(model.backend) ? await run.pullState() : await run.readLocalState();
  const decision = oneRunDecision({
    policy: "auto",
    heldPlan: false,
    exportingPlans: false,
    configUnchanged: false,
    stateResources: stateResourceAddresses(state),
    configResources: run.stackResources,
  });
  if (!decision.oneRun) return undefined;
  reporter.step(model, "plan and apply in one run (nothing to destroy)");
  const result = await run.applyDirect({ expectedChanges: decision.expectedChanges });
  if (result.kind === "refused") {
    reporter.step(model, `would destroy or replace ${result.wouldDestroy.join(", ")}: planning it first`);
    return undefined;
  }
  reporter.step(model, `plan: ${result.plan.hasChanges ? planLine(result.plan) : "no changes"}`);
  return { run, plan: result.plan, apply: result.apply, ...(pki ? { pki } : {}) };
}

/** The plan as a short list for people: one line per resource change. */
export function describeChanges(plan: Pick<PlanResult, "summary">): string {
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

/** One cluster in `clusterform plan -o json` (format documented in docs/hybrid.md). */
export interface PlanReportCluster {
  namespace: string;
  name: string;
  /** "planned", or "failed" with `error`. */
  status: "planned" | "failed";
  hasChanges: boolean;
  add: number;
  change: number;
  destroy: number;
  replace: number;
  import: number;
  changes: { address: string; action: string }[];
  error?: string;
}

export interface PlanReport {
  formatVersion: 1;
  hasChanges: boolean;
  clusters: PlanReportCluster[];
}

/** The stable machine-readable summary of planned clusters, sorted by namespace/name. */
export function planReport(planned: readonly ClusterOutcome<PlannedCluster>[]): PlanReport {
  const clusters = planned.map((outcome): PlanReportCluster => {
    const { namespace, name } = outcome.model;
    if (!outcome.ok) {
      const empty = planCounts(emptyPlanSummary());
      return { namespace, name, status: "failed", ...empty, error: errorMessage(outcome.error) };
    }
    return { namespace, name, status: "planned", ...planCounts(outcome.value.plan.summary) };
  });
  clusters.sort((a, b) => compareKeys(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`));
  return { formatVersion: 1, hasChanges: clusters.some((c) => c.hasChanges), clusters };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
