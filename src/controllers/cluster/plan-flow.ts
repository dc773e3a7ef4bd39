import { machineResourceAddress } from "../../../stacks/index.js";
import type { PlanSummaryStatus } from "../../api/cluster.js";
import { EventReason } from "../../api/event-reasons.js";
import { Reason } from "../../api/reasons.js";
import { ClusterRun } from "../../converge/cluster-run.js";
import { type ConvergeOptions, convergeRedactor } from "../../converge/options.js";
import type { SynthResult } from "../../converge/stack-cache.js";
import type { ClusterModel } from "../../model/types.js";
import { type ApplyPolicy, decideByPolicy, resolveApplyPolicy } from "../../plans/apply-policy.js";
import { type ApprovalDecision, approveCommand, decideApproval } from "../../plans/approval.js";
import { describeDrift, driftedResources } from "../../plans/drift.js";
import { decideNextStep, type NextStep } from "../../plans/gate.js";
import { applyGuards, describeHolds } from "../../plans/guards.js";
import { heldPlanDecision, heldPlanHolds, heldPlanSummary } from "../../plans/held-plan.js";
import { machinePlanNotes } from "../../plans/machine-changes.js";
import { oneRunRuledOut } from "../../plans/one-run.js";
import { planConfigMaps } from "../../plans/plan-configmap.js";
import { planId, planIdOf, stateFingerprint } from "../../plans/plan-id.js";
import type { RawOutput } from "../../status/outputs.js";
import type {
  ApplyResult,
  PlanResult,
  RedactedResourceChange,
  ResourceChangeRef,
} from "../../terraform/types.js";
import { reportAdoptedHeld } from "./adopted-instances.js";
import { markAppliedOutside, overtakenPlan } from "./applied-outside.js";
import {
  appliedAsConfigured,
  markApplyStarted,
  recordableOutputs,
  writeAppliedRecord,
} from "./applied-record.js";
import { exportPlan } from "./export-plan.js";
import type { Verdict } from "./gates.js";
import { planGuardHolds } from "./guard-holds.js";
import { instancesFoundGone } from "./lost-instances.js";
import {
  type PendingPlanRecord,
  readPendingPlan,
  removePendingPlan,
  writePendingPlan,
} from "./pending-plan.js";
import { readPriorState } from "./prior-state.js";
import type { ClusterScope, DriftObservation } from "./scope.js";
import { outputsWithoutChanges, publishSensitiveOutputs } from "./sensitive-outputs.js";
import type { ClusterStore } from "./store.js";
import { describePlan } from "./terraform.js";

export interface PlanFlowContext {
  store: ClusterStore;
  converge: ConvergeOptions;
  defaultApplyPolicy: ApplyPolicy;
  /** Bounds Terraform runs across clusters (also the shared state's read). */
  runLimit: <T>(task: () => Promise<T>) => Promise<T>;
  now: () => Date;
  signal?: AbortSignal;
  /** --export-dir: every new plan's configuration is written there for a pipeline. */
  exportDir?: string;
  /** --drift-interval (ms): also how often a held plan's shared state is re-read. */
  driftIntervalMs?: number;
  /** The Terraform runs of one stack (unit tests inject a fake; default: a ClusterRun). */
  terraform?: (model: ClusterModel) => StackRunner;
}

/** What the plan flow asks of Terraform, as ClusterRun gives it. */
export type StackRunner = Pick<
  ClusterRun,
  "writeConfig" | "plan" | "show" | "showPlan" | "applyPlanFile" | "applyDirect" | "outputs"
>;

/** The cluster's Terraform, with every bootstrapped Machine's data as sensitive variables (needed on every run). */
export function runnerFor(context: PlanFlowContext, scope: ClusterScope, model: ClusterModel): StackRunner {
  if (context.terraform) return context.terraform(model);
  return new ClusterRun(model, context.converge, scope.bootstrap?.variables);
}

/** What this pass does with the stack, decided before any Terraform run (plan-flow's first step). */
export interface StackDecision {
  step: NextStep;
  /** The held plan kept from an earlier pass, if any. */
  pending?: PendingPlanRecord;
  /** The state the last apply left (as the plan id counts it); "" when none or not read. */
  priorState: string;
  /** Whether priorState was read this pass (a shared backend's is read only when needed). */
  stateRead: boolean;
  policy: ReturnType<typeof resolveApplyPolicy>;
}

/** What rules a one-run apply in or out before the state is known (one-run.ts). */
export function oneRunBasics(
  context: PlanFlowContext,
  scope: ClusterScope,
  stack: SynthResult,
  policy: ApplyPolicy,
  pending: PendingPlanRecord | undefined,
) {
  return {
    policy,
    heldPlan: pending !== undefined,
    exportingPlans: context.exportDir !== undefined,
    configUnchanged: appliedAsConfigured(scope.applied, stack.configHash),
  };
}

/**
 * The approval decides first (an approved, still-current held plan is
 * applied from its kept file, no new plan); a current held plan waits
 * without Terraform; otherwise a plan is made when wanted. Reads files and
 * the shared state only; reports an ignored or stale approval.
 */
export async function decideStack(
  context: PlanFlowContext,
  scope: ClusterScope,
  model: ClusterModel,
  stack: SynthResult,
  planWanted: Verdict,
): Promise<StackDecision> {
  const label = `${scope.key.namespace}/${scope.key.name}`;
  const pending = await readPendingPlan(scope.workDir);
  const policy = resolveApplyPolicy(scope.cluster.metadata.annotations, context.defaultApplyPolicy);
  const oneRunCandidate =
    planWanted.ok &&
    oneRunRuledOut(oneRunBasics(context, scope, stack, policy.policy, pending)) === undefined;
  // A shared backend's state costs a Terraform run to read: only when it can change this pass.
  const prior = await readPriorState(context, scope, model, stack, pending, oneRunCandidate);
  const current = { configHash: stack.configHash, stateFingerprint: prior.fingerprint };
  const currentId = planIdOf(stack.configHash, prior.fingerprint);
  let approval = decideApproval({
    annotations: scope.cluster.metadata.annotations,
    pending,
    current,
    lastAppliedPlan: scope.cluster.status?.lastAppliedPlan,
    clusterLabel: label,
  });
  if (approval.kind === "approved" && policy.policy === "plan-only") {
    approval = {
      kind: "ignored",
      id: approval.id,
      message: `approval of plan ${approval.id} ignored: apply policy plan-only never applies`,
    };
  }
  await reportApproval(context.store, scope, approval);
  // A policy changed since the plan was held (manual -> auto) is acted on now, like an approval.
  const policyApplies = pending !== undefined && heldPlanDecision(policy, pending).action === "apply";
  const step = decideNextStep({ approval, pendingId: pending?.id, currentId, planWanted, policyApplies });
  return {
    step,
    ...(pending ? { pending } : {}),
    priorState: prior.text ?? "",
    stateRead: prior.text !== undefined,
    policy,
  };
}

/** The kept plan file, applied because it was approved or the policy now applies it. */
export async function applyHeldPlan(
  context: PlanFlowContext,
  scope: ClusterScope,
  model: ClusterModel,
  stack: SynthResult,
  decision: StackDecision,
): Promise<boolean> {
  const { step, pending, policy } = decision;
  if (step.kind !== "apply-pending" || !pending) return false;
  const why =
    step.by === "policy"
      ? {
          reason: EventReason.PlanReleasedByPolicy,
          message: `plan ${pending.id} held before is applied: apply policy ${policy.policy} now applies it`,
        }
      : {
          reason: EventReason.PlanApproved,
          message: `plan ${pending.id} approved: applying exactly the reviewed plan`,
        };
  await applyPending(context, scope, model, stack, pending, why);
  return true;
}

/** A new plan, and what its refresh found outside Terraform (the drift check). */
export interface Planned {
  run: StackRunner;
  plan: PlanResult;
  id: string;
  /** The state the plan was really made against. */
  plannedState: string;
  /** After an unfinished apply, differences may be that apply's doing, not drift. */
  configUnchanged: boolean;
  drift: DriftObservation;
}

export async function makePlan(
  context: PlanFlowContext,
  scope: ClusterScope,
  model: ClusterModel,
  stack: SynthResult,
  decision: StackDecision,
): Promise<Planned> {
  const { store, signal } = context;
  const run = runnerFor(context, scope, model);
  await run.writeConfig(stack.json);
  await store.event(scope.cluster, "Normal", EventReason.PlanStarted, `planning ${stack.summary}`);
  const plan = await run.plan(signal ? { signal } : {});
  await store.event(scope.cluster, "Normal", EventReason.PlanFinished, describePlan(plan));
  // The state the plan was really made against (the plan file's), which a shared backend's pass did not read.
  const plannedState = plan.priorState ?? decision.priorState;
  const id = planId({ configHash: stack.configHash, priorState: plannedState });
  const configUnchanged = appliedAsConfigured(scope.applied, stack.configHash);
  const drift = await checkDrift(context, scope, plan, run, configUnchanged);
  return { run, plan, id, plannedState, configUnchanged, drift };
}

/** What the gate made of a new plan: apply it (applyPlan, next), held, or nothing to apply. */
export type GateResult =
  | { kind: "apply"; plan: PlanSummaryStatus }
  | { kind: "held" }
  | { kind: "unchanged" };

/**
 * The apply policy (and the adopted-instance guard) on a new plan: hold it
 * for approval (or keep it under plan-only), record that nothing changed, or
 * say it is to be applied (the caller shows Progressing first, then calls
 * applyPlan).
 */
export async function gatePlan(
  context: PlanFlowContext,
  scope: ClusterScope,
  model: ClusterModel,
  stack: SynthResult,
  decided: StackDecision,
  planned: Planned,
): Promise<GateResult> {
  const { store, signal } = context;
  const { run, plan, id, plannedState, configUnchanged } = planned;
  // The held plan this plan replaces, if any (it may have been applied outside clusterform).
  const overtaken = overtakenPlan(decided.pending, stateFingerprint(plannedState), stack.configHash);
  // The policy as it is now, not as it was when the pass began: a switch to manual during a long plan holds it.
  const latest = await store.getCluster(scope.key.namespace, scope.key.name);
  const policy = latest
    ? resolveApplyPolicy(latest.metadata.annotations, context.defaultApplyPolicy)
    : decided.policy;
  // An adopted instance or the only control plane is never destroyed on a policy's say-so: only by approving this plan's id.
  const { adopted, holds } = await planGuardHolds(scope, model, plan, run, signal);
  const decision = applyGuards(decideByPolicy(policy, plan.summary), policy, holds);
  const base = summaryStatus(plan, id, context.now());
  const about = {
    id,
    generatedAt: base.generatedAt,
    policy: policy.policy,
    action: decision.action,
    configUnchanged,
  };
  await exportPlan(context.exportDir, context.converge, model, stack, plan, about);
  if (decision.action === "hold" || (decision.action === "none" && plan.summary.hasChanges)) {
    const record: PendingPlanRecord = {
      ...base,
      configHash: stack.configHash,
      stateFingerprint: stateFingerprint(plannedState),
      planFile: plan.planFile,
      generatedAt: base.generatedAt ?? context.now().toISOString(),
      changes: plan.summary.changes,
      ...(adopted.length > 0 ? { adopted } : {}),
      ...(holds.length > 0 ? { holds } : {}),
    };
    await writePendingPlan(scope.workDir, record);
    const shown = await run.show(plan, signal);
    const redactor = convergeRedactor(context.converge);
    await store.writePlanConfigMaps(
      scope.cluster,
      planConfigMaps({
        cluster: {
          name: scope.key.name,
          namespace: scope.key.namespace,
          uid: scope.cluster.metadata.uid ?? "",
        },
        id,
        summary: `Plan ${id}: ${describePlan(plan)}`,
        text: shown.text ?? "",
        ...(shown.json ? { json: shown.json } : {}),
        redactor,
      }),
    );
    Object.assign(scope, heldPlanStatus(scope, model, record, policy.policy));
    const next =
      policy.policy === "plan-only"
        ? "apply policy plan-only: it is not applied"
        : `approve with: ${approveCommand(scope.key.namespace, scope.key.name, id)}`;
    await store.event(
      scope.cluster,
      holds.length > 0 ? "Warning" : "Normal",
      EventReason.ApplyHeld,
      `plan ${id} held (${decision.reason}); ${next}`,
    );
    await reportAdoptedHeld(
      store,
      scope,
      adopted,
      id,
      approveCommand(scope.key.namespace, scope.key.name, id),
    );
    return { kind: "held" };
  }
  await removePendingPlan(scope.workDir);
  if (decision.action === "apply") {
    return { kind: "apply", plan: { ...base, state: "Applied" } };
  }
  // No changes: the outputs as they stand (read from the state when someone else applied).
  scope.plan = { ...base, state: "Applied" };
  scope.planPending = undefined;
  if (overtaken) await markAppliedOutside(store, scope, overtaken);
  // After an outside apply the record is not of this state: the outputs are read again.
  const outputs = await outputsWithoutChanges(
    store,
    scope,
    overtaken ? undefined : stack.configHash,
    run,
    signal,
  );
  await recordApplied(scope, model, stack, outputs);
  return { kind: "unchanged" };
}

/** Applies the plan the gate let through. */
export async function applyPlan(
  context: PlanFlowContext,
  scope: ClusterScope,
  model: ClusterModel,
  stack: SynthResult,
  planned: Planned,
  plan: PlanSummaryStatus,
): Promise<void> {
  scope.plan = plan;
  await applyPlanFile(context, scope, model, stack, planned.run, planned.plan.planFile, planned.id);
}

async function applyPending(
  context: PlanFlowContext,
  scope: ClusterScope,
  model: ClusterModel,
  stack: SynthResult,
  pending: PendingPlanRecord,
  why: { reason: string; message: string },
): Promise<void> {
  const run = runnerFor(context, scope, model);
  await context.store.event(scope.cluster, "Normal", why.reason, why.message);
  scope.plan = { ...pendingStatus(pending), state: "Applied" };
  await applyPlanFile(context, scope, model, stack, run, pending.planFile, pending.id);
  await removePendingPlan(scope.workDir);
}

async function applyPlanFile(
  context: PlanFlowContext,
  scope: ClusterScope,
  model: ClusterModel,
  stack: SynthResult,
  run: StackRunner,
  planFile: string,
  id: string,
): Promise<void> {
  const { store, signal } = context;
  await store.event(scope.cluster, "Normal", EventReason.ApplyStarted, `applying plan ${id}`);
  scope.applied = await markApplyStarted(scope.workDir, scope.applied, stack.configHash);
  const result = await run.applyPlanFile(planFile, signal ? { signal } : {}).catch((error: unknown) => {
    scope.plan = { ...(scope.plan as PlanSummaryStatus), state: "Failed" };
    throw error;
  });
  await finishApply(context, scope, model, stack, result, id);
}

/** After a successful apply: its Event, drift corrected, the outputs published and the record written. */
export async function finishApply(
  context: PlanFlowContext,
  scope: ClusterScope,
  model: ClusterModel,
  stack: SynthResult,
  result: ApplyResult,
  id: string,
): Promise<void> {
  const { store } = context;
  const { add, change, destroy } = result.applied;
  await store.event(
    scope.cluster,
    "Normal",
    EventReason.ApplyFinished,
    `plan ${id} applied: ${add} added, ${change} changed, ${destroy} destroyed`,
  );
  scope.planPending = undefined;
  if (scope.drift?.drifted) {
    scope.drift = {
      ...scope.drift,
      drifted: false,
      reason: Reason.DriftCorrected,
      message: `corrected by plan ${id}: ${scope.drift.message}`,
    };
  }
  // Before the record: if the Secret cannot be written, the next pass plans again and retries it.
  await publishSensitiveOutputs(store, scope.cluster, result.outputs);
  await recordApplied(scope, model, stack, recordableOutputs(result.outputs));
}

async function recordApplied(
  scope: ClusterScope,
  model: ClusterModel,
  stack: SynthResult,
  outputs: Record<string, RawOutput>,
): Promise<void> {
  scope.outputs = outputs;
  scope.applied = {
    configHash: stack.configHash,
    provider: model.provider,
    outputs,
    appliedAt: new Date().toISOString(),
  };
  await writeAppliedRecord(scope.workDir, scope.applied);
}

/**
 * Every plan refreshes first, so its result is the drift check (no separate
 * refresh-only run). Only when something drifted does `show -json` run, to
 * say what changed.
 */
async function checkDrift(
  context: PlanFlowContext,
  scope: ClusterScope,
  plan: PlanResult,
  run: StackRunner,
  configUnchanged: boolean,
): Promise<DriftObservation> {
  const drifted = driftedResources(plan.summary, configUnchanged);
  let details: RedactedResourceChange[] = [];
  let planned: RedactedResourceChange[] = [];
  if (drifted.length > 0) {
    const { signal } = context;
    const shown = await run.showPlan(plan.planFile, {
      json: true,
      text: false,
      ...(signal ? { signal } : {}),
    });
    details = shown.json?.resourceDrift ?? [];
    planned = shown.json?.resourceChanges ?? [];
  }
  return observeDrift(context, scope, drifted, details, planned);
}

/** What a plan's refresh found changed outside Terraform, as status and Events show it. */
export function observeDrift(
  context: PlanFlowContext,
  scope: ClusterScope,
  drifted: ResourceChangeRef[],
  details: readonly RedactedResourceChange[] = [],
  planned: readonly RedactedResourceChange[] = [],
): DriftObservation {
  const redactor = convergeRedactor(context.converge);
  return {
    drifted: drifted.length > 0,
    checkedAt: context.now().toISOString(),
    reason: drifted.length > 0 ? Reason.DriftDetected : Reason.NoDrift,
    message: describeDrift(drifted, redactor, details, planned),
    lost: instancesFoundGone(scope, drifted),
  };
}

/** What a held plan shows: status.plan and the PlanPending conditions' observation. */
export function heldPlanStatus(
  scope: ClusterScope,
  model: ClusterModel,
  pending: PendingPlanRecord,
  policy: ApplyPolicy,
): Pick<ClusterScope, "plan" | "planPending"> {
  const summary = heldPlanSummary(pending);
  const adopted = pending.adopted ?? [];
  const holds = heldPlanHolds(pending);
  const because = holds.length > 0 ? `; ${describeHolds(holds)}` : "";
  const planPending = {
    id: pending.id,
    policy,
    message:
      policy === "plan-only"
        ? `plan ${pending.id} (${counts(pending)}) is kept for review; apply policy plan-only never applies it${because}`
        : `plan ${pending.id} (${counts(pending)}) waits for approval: ${approveCommand(scope.key.namespace, scope.key.name, pending.id)}${because}`,
    notes: machinePlanNotes(
      model.machines.map((m) => m.name),
      (name) => machineResourceAddress(model, name),
      summary,
      pending.id,
      adopted,
    ),
  };
  return { plan: pendingStatus(pending), planPending };
}

function pendingStatus(pending: PendingPlanRecord): PlanSummaryStatus {
  const { id, add, change, destroy, replace, generatedAt } = pending;
  const holds = heldPlanHolds(pending);
  const heldBecause = holds.length > 0 ? describeHolds(holds) : undefined;
  return {
    id,
    add,
    change,
    destroy,
    replace,
    generatedAt,
    state: "Pending",
    ...(heldBecause ? { heldBecause } : {}),
  };
}

export function summaryStatus(plan: Pick<PlanResult, "summary">, id: string, now: Date) {
  const { add, change, destroy, replace } = plan.summary;
  return { id, add, change, destroy, replace, generatedAt: now.toISOString() };
}

function counts(p: { add: number; change: number; destroy: number; replace: number }): string {
  return `${p.add} to add, ${p.change} to change, ${p.destroy} to destroy${p.replace ? `, ${p.replace} replaced` : ""}`;
}

async function reportApproval(
  store: ClusterStore,
  scope: ClusterScope,
  approval: ApprovalDecision,
): Promise<void> {
  if (approval.kind === "ignored")
    await store.event(scope.cluster, "Warning", EventReason.PlanApprovalIgnored, approval.message);
  if (approval.kind === "stale")
    await store.event(scope.cluster, "Warning", EventReason.PlanApprovalStale, approval.message);
}
