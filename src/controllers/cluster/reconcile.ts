import { findCondition } from "../../api/conditions.js";
import { EventReason } from "../../api/event-reasons.js";
import type { FieldError } from "../../api/field-error.js";
import type { ConvergeOptions } from "../../converge/options.js";
import type { StackCache, SynthResult } from "../../converge/stack-cache.js";
import { UnwatchedInputError } from "../../errors.js";
import type { ClusterModel } from "../../model/types.js";
import { type ApplyPolicy, DEFAULT_APPLY_POLICY } from "../../plans/apply-policy.js";
import { type DriftSchedule, driftAnnotationProblems, driftSchedule } from "../../plans/drift-schedule.js";
import type { NextStep } from "../../plans/gate.js";
import { heldPlanRequeueDelay } from "../../plans/shared-state.js";
import { nodeStartupDelay } from "../../status/node-status.js";
import { isDeleting } from "../../util/objects.js";
import { writeEach } from "../shared/bounded-writes.js";
import { convergeForCluster } from "./backend-credentials.js";
import { issueKubeconfig, reportBootstrap } from "./bootstrap-report.js";
import { bootstrapStep } from "./bootstrap-step.js";
import { cheapCheckTarget, lastCheapCheck, runCheapDriftCheck } from "./cheap-drift.js";
import { deleteCluster } from "./delete.js";
import { isRetryable, observedErrorFrom } from "./errors.js";
import { loadScopeWithFinalizers, machinesToRelease, removeFinalizer } from "./finalizers.js";
import { machineOutputNames, machinesToProvision, shouldPlan, type Verdict } from "./gates.js";
import {
  DEFAULT_NODE_DELETION_TIMEOUT_MS,
  removeLeavingNodes,
  type WorkloadAccess,
} from "./leaving-nodes.js";
import { ORPHANED_MESSAGE } from "./names.js";
import { applyInOneRun, oneRunFor } from "./one-run-apply.js";
import { readPendingPlan } from "./pending-plan.js";
import {
  applyHeldPlan,
  applyPlan,
  decideStack,
  gatePlan,
  heldPlanStatus,
  makePlan,
  type PlanFlowContext,
} from "./plan-flow.js";
import { heldPlanRecheckDelayFor } from "./prior-state.js";
import type { ClusterKey, ClusterScope } from "./scope.js";
import { withStateLockRecovery } from "./state-lock.js";
import { computeStatuses, PROVIDER_ID_COPY_RETRY_MS, providerIDCopyOwed, writeStatuses } from "./status.js";
import type { ClusterStore } from "./store.js";
import { describeErrors, validate } from "./validate.js";

export interface ClusterReconcilerDeps {
  store: ClusterStore;
  converge: ConvergeOptions;
  stacks: StackCache;
  /** Bounds Terraform runs across clusters (--max-concurrent-runs). */
  runLimit: <T>(task: () => Promise<T>) => Promise<T>;
  log: (message: string, fields?: Record<string, unknown>) => void;
  now?: () => Date;
  /** Overrides the drift schedule (tests): true runs a plan even when nothing changed. */
  driftCheckDue?: (scope: ClusterScope) => boolean;
  /** --default-apply-policy: for Clusters without the clusterform.io/apply-policy annotation. */
  defaultApplyPolicy?: ApplyPolicy;
  /** --drift-interval in ms (undefined: the default 10m; per-Cluster annotation clusterform.io/drift-interval). */
  driftIntervalMs?: number;
  /** --full-drift-interval in ms: full plans of clusters with a cheap check (default 1h; annotation clusterform.io/full-drift-interval). */
  fullDriftIntervalMs?: number;
  /** --export-dir: where every new plan's configuration is published for pipelines. */
  exportDir?: string;
  /** Unit tests: a fake in place of Terraform (PlanFlowContext.terraform). */
  terraform?: PlanFlowContext["terraform"];
  /** Workload clusters read through `<cluster>-kubeconfig` (docs/workload.md); absent: not read. */
  workload?: WorkloadAccess;
  /** --node-startup-timeout in ms. */
  nodeStartupTimeoutMs?: number;
  /** --node-deletion-timeout in ms: how long an unreachable workload API may delay destroying an instance. */
  nodeDeletionTimeoutMs?: number;
}

/**
 * One pass over one Cluster (the only code that runs Terraform). Shape:
 * load the scope; add finalizers and return; then either delete or
 * validate -> synth -> plan? -> apply; a final step writes every status once.
 * Retryable failures are rethrown (the queue backs off); terminal ones are
 * left in status until the objects change.
 */
export async function reconcileCluster(
  deps: ClusterReconcilerDeps,
  key: ClusterKey,
  signal?: AbortSignal,
): Promise<{ requeueAfterMs?: number }> {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const scope = await loadScopeWithFinalizers(store, key, deps.converge.stateDir);
  if (!scope) {
    deps.stacks.forget(key);
    await deps.workload?.drop(`${key.namespace}/${key.name}`);
    return {};
  }
  if (scope === "finalizers-added") return {};
  const workload = deps.workload?.observe(key);
  if (workload) scope.workload = workload;
  if (deps.nodeStartupTimeoutMs !== undefined) scope.nodeStartupTimeoutMs = deps.nodeStartupTimeoutMs;
  let released = false;
  let failure: unknown;
  try {
    const converge = await convergeForCluster(store, scope, deps.converge);
    if (isDeleting(scope.cluster)) {
      const context = { store, converge, runLimit: deps.runLimit, ...(signal ? { signal } : {}) };
      released = await withStateLockRecovery(
        { ...context, now },
        scope,
        () => deleteCluster(context, scope),
        (done) => done,
      );
      if (released) {
        deps.stacks.forget(key);
        await deps.workload?.drop(`${key.namespace}/${key.name}`);
      }
    } else {
      await reconcileNormal({ ...deps, converge }, scope, now, signal);
    }
  } catch (error) {
    failure = error;
    scope.error = observedErrorFrom(error);
    scope.provisioning = new Set();
    const reason = scope.error.terminal ? EventReason.TerraformFailed : EventReason.TerraformRetrying;
    deps.log("cluster reconcile failed", {
      cluster: `${key.namespace}/${key.name}`,
      reason: scope.error.reason,
      error: scope.error.message,
    });
    await store.event(scope.cluster, "Warning", reason, `${scope.error.reason}: ${scope.error.message}`);
  } finally {
    if (!released) {
      await writeStatuses(store, computeStatuses(scope, now()));
    }
  }
  if (failure !== undefined && isRetryable(failure)) throw failure;
  return nextCheck(
    deps,
    scope,
    now,
    failure instanceof UnwatchedInputError ? failure.recheckAfterMs : undefined,
  );
}

/**
 * A converged cluster (applied, nothing held) gets a drift check every
 * interval, jittered per Cluster: a cheap cloud read for AWS clusters, with a
 * full plan every full-drift interval (drift-schedule.ts); a full plan
 * otherwise.
 */
async function driftScheduleFor(
  deps: ClusterReconcilerDeps,
  scope: ClusterScope,
  now: Date,
): Promise<DriftSchedule | undefined> {
  if (!scope.applied || scope.planPending || isDeleting(scope.cluster) || scope.invalid) return undefined;
  const cheapCheck = cheapCheckTarget(deps.converge, scope) !== undefined;
  return driftSchedule({
    annotations: scope.cluster.metadata.annotations,
    driftIntervalMs: deps.driftIntervalMs,
    fullDriftIntervalMs: deps.fullDriftIntervalMs,
    cheapCheck,
    lastFull: scope.drift?.checkedAt ?? scope.cluster.status?.lastDriftCheck,
    lastCheap: cheapCheck ? await lastCheapCheck(scope.workDir) : undefined,
    lastApply: scope.applied.appliedAt,
    now,
    seed: scope.cluster.metadata.uid ?? scope.key.name,
  });
}

/** Drift annotations that cannot be read: a Warning Event each pass (aggregated), the default applies. */
async function reportAnnotationProblems(deps: ClusterReconcilerDeps, scope: ClusterScope): Promise<void> {
  const problems = driftAnnotationProblems(scope.cluster.metadata.annotations, {
    driftIntervalMs: deps.driftIntervalMs,
    fullDriftIntervalMs: deps.fullDriftIntervalMs,
  });
  for (const problem of problems)
    await deps.store.event(scope.cluster, "Warning", EventReason.InvalidAnnotation, problem);
}

/**
 * Whether this pass plans for drift: a full check due, or a cheap check due
 * that finds something new (or cannot answer). Runs only when nothing else
 * makes the pass plan.
 */
async function driftCheck(
  deps: ClusterReconcilerDeps,
  scope: ClusterScope,
  model: ClusterModel,
  now: Date,
): Promise<{ due: boolean; reason?: string }> {
  if (deps.driftCheckDue) return { due: deps.driftCheckDue(scope) };
  const schedule = await driftScheduleFor(deps, scope, now);
  if (schedule?.due === "full") return { due: true, reason: "a full drift check (plan) is due" };
  const target = schedule?.due === "cheap" ? cheapCheckTarget(deps.converge, scope, model) : undefined;
  if (!target || model.provider !== "aws") return { due: false };
  const label = `${scope.key.namespace}/${scope.key.name}`;
  const result = await runCheapDriftCheck(target, scope, model, now);
  if (result.kind === "failed") {
    deps.log("cheap drift check failed: a full plan checks instead", {
      cluster: label,
      error: result.message,
    });
    return { due: true, reason: `the cheap drift check could not read the cloud (${result.message})` };
  }
  if (!result.drifted) {
    if (result.reasons.length > 0)
      deps.log("cheap drift check: differences a plan already saw", {
        cluster: label,
        known: result.reasons,
      });
    return { due: false };
  }
  return { due: true, reason: `the cheap drift check found: ${result.fresh.join("; ")}` };
}

/**
 * The next drift check, or the next re-read of a held plan's shared state (a
 * pipeline may apply it); sooner when a Machine waiting for its Node reaches
 * the node startup timeout (its NodeStartupTimeout is due then), or when a
 * providerID copy met someone else's change (status.ts), or when a late
 * joiner's bootstrap token needs extending: nothing else would bring the key back.
 */
async function nextCheck(
  deps: ClusterReconcilerDeps,
  scope: ClusterScope,
  now: () => Date,
  /** A failure in an object no watch brings back (UnwatchedInputError): re-read then. */
  unwatchedRecheckMs?: number,
): Promise<{ requeueAfterMs?: number }> {
  const pending = scope.planPending && !scope.error ? await readPendingPlan(scope.workDir) : undefined;
  const delays = [
    pending
      ? heldPlanRequeueDelay(heldPlanRecheckDelayFor({ ...deps, now }, scope, pending))
      : (await driftScheduleFor(deps, scope, now()))?.delayMs,
    scope.workload ? nodeStartupDelay(scope.machines, now(), scope.nodeStartupTimeoutMs) : undefined,
    scope.machines.some(providerIDCopyOwed) ? PROVIDER_ID_COPY_RETRY_MS : undefined,
    // Bootstrap tokens in the workload cluster are extended (or retried) in time, whatever the drift schedule.
    scope.bootstrap?.recheckAfterMs,
    unwatchedRecheckMs,
  ].filter((delay): delay is number => delay !== undefined && delay > 0);
  // A drift check that is due now but did not run (e.g. a failure) waits for the queue's own retry.
  return delays.length > 0 ? { requeueAfterMs: Math.min(...delays) } : {};
}

/** An invalid cluster sets scope.invalid and runs no Terraform (nor schedules any drift check). */
async function reconcileNormal(
  deps: ClusterReconcilerDeps,
  scope: ClusterScope,
  now: () => Date,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { store } = deps;
  const validation = validate(scope, deps.converge.defaultBackend);
  if (!validation.ok) {
    scope.invalid = validation.errors;
    await reportInvalid(store, scope, validation.errors);
    return;
  }
  await reportAnnotationProblems(deps, scope);
  const model = await bootstrapStep(store, scope, validation.model, now(), deps.workload);
  if (!model) {
    if (scope.invalid) await reportInvalid(store, scope, scope.invalid);
    else {
      // No control plane: the Machines are shown waiting; nothing is planned.
      scope.model = validation.model;
      await reportBootstrap(store, scope);
    }
    return;
  }
  scope.model = model;
  const stack = deps.stacks.synth(model);
  scope.bootstrap?.warnings.push(...stack.warnings);
  await reportBootstrap(store, scope);
  const planned = shouldPlan(scope, stack);
  const drift = planned.ok ? undefined : await driftCheck(deps, scope, model, now());
  const verdict = drift?.due
    ? shouldPlan(scope, stack, {
        driftCheckDue: true,
        ...(drift.reason ? { driftReason: drift.reason } : {}),
      })
    : planned;
  const label = `${scope.key.namespace}/${scope.key.name}`;
  const lockContext = { store, converge: deps.converge, now, ...(signal ? { signal } : {}) };
  const flow: PlanFlowContext = {
    store,
    converge: deps.converge,
    defaultApplyPolicy: deps.defaultApplyPolicy ?? DEFAULT_APPLY_POLICY,
    runLimit: deps.runLimit,
    now,
    ...(signal ? { signal } : {}),
    ...(deps.exportDir ? { exportDir: deps.exportDir } : {}),
    ...(deps.driftIntervalMs ? { driftIntervalMs: deps.driftIntervalMs } : {}),
    ...(deps.terraform ? { terraform: deps.terraform } : {}),
  };
  // A lock our own crashed run left is cleared and the whole step redone; any other holder is waited for.
  const outcome = await withStateLockRecovery(
    lockContext,
    scope,
    () => convergeStack({ ...deps, flow, label }, scope, model, stack, verdict, now),
    (result) => result.step === "plan" || result.step === "apply-pending",
  );
  if (outcome.applied) await reportCreated(store, scope);
  scope.provisioning = new Set();
  if (outcome.step !== "idle" && outcome.step !== "wait")
    deps.log("converged", { cluster: label, step: outcome.step, plan: scope.plan });
  // Machines being deleted are out of the applied configuration: their instances are gone.
  // Released before the kubeconfig is issued, so a failure there never holds a finalizer.
  const orphaned = new Set(model.orphanedMachines ?? []);
  for (const machine of machinesToRelease(scope, stack.configHash)) {
    if (orphaned.has(machine.metadata.name ?? ""))
      await store.event(machine, "Normal", EventReason.InstanceOrphaned, ORPHANED_MESSAGE);
    await removeFinalizer(store, machine);
    scope.machines = scope.machines.filter((m) => m !== machine);
  }
  await issueKubeconfig(store, scope, now());
}

/**
 * The stack's steps, folded: decide (no Terraform) -> Progressing written ->
 * plan (its refresh is the drift check) -> gate (hold, nothing to do, or
 * apply) -> apply. A held plan approved (or released by its policy) goes
 * from Progressing straight to its apply. Each step returns what it
 * learned; the scope collects it for the pass's final statuses.
 */
async function convergeStack(
  deps: ClusterReconcilerDeps & { flow: PlanFlowContext; label: string },
  scope: ClusterScope,
  model: ClusterModel,
  stack: SynthResult,
  verdict: Verdict,
  now: () => Date,
): Promise<{ step: NextStep["kind"]; applied: boolean }> {
  const { flow, store } = deps;
  const decision = await decideStack(flow, scope, model, stack, verdict);
  const { step } = decision;
  if (step.kind === "wait" && decision.pending)
    Object.assign(scope, heldPlanStatus(scope, model, decision.pending, decision.policy.policy));
  if (step.kind === "idle" || step.kind === "wait") return { step: step.kind, applied: false };
  deps.log("planning", { cluster: deps.label, why: verdict.reason });
  await writeProgressing(store, scope, now());
  // Leaving Machines' Nodes go right before the apply that destroys their
  // instances: never while a plan waits for review (nothing changes before approval).
  const removeNodes = async () => {
    if (deps.workload)
      await removeLeavingNodes(
        deps.workload,
        store,
        scope,
        deps.nodeDeletionTimeoutMs ?? DEFAULT_NODE_DELETION_TIMEOUT_MS,
      );
  };
  // Node removal waits up to --node-deletion-timeout on an unreachable workload
  // API: outside the run limit, so it never holds a Terraform slot other clusters need.
  if (step.kind === "apply-pending") {
    await removeNodes();
    const applied = await deps.runLimit(() => applyHeldPlan(flow, scope, model, stack, decision));
    return { step: step.kind, applied };
  }
  // Under auto, a change that destroys nothing: one Terraform run plans and applies it.
  const oneRun = oneRunFor(flow, scope, stack, decision);
  if (oneRun.oneRun) {
    const expected = oneRun.expectedChanges;
    if (await deps.runLimit(() => applyInOneRun(flow, scope, model, stack, decision, expected)))
      return { step: step.kind, applied: true };
  } else deps.log("plan before apply", { cluster: deps.label, why: oneRun.why });
  // The gate may run `terraform show` (a held plan's text): it shares the plan's slot.
  const { planned, gate } = await deps.runLimit(async () => {
    const planned = await makePlan(flow, scope, model, stack, decision);
    scope.drift = planned.drift;
    if (planned.drift.drifted)
      await store.event(scope.cluster, "Warning", EventReason.DriftDetected, planned.drift.message);
    return { planned, gate: await gatePlan(flow, scope, model, stack, decision, planned) };
  });
  if (gate.kind !== "apply") return { step: step.kind, applied: false };
  // Drift found is shown before the correcting apply starts (which then marks it corrected).
  if (planned.drift.drifted) await writeStatuses(store, computeStatuses(scope, now()));
  await removeNodes();
  await deps.runLimit(() => applyPlan(flow, scope, model, stack, planned, gate.plan));
  return { step: step.kind, applied: true };
}

/**
 * Progressing, written before the long Terraform run so kubectl shows work
 * under way: the Machines the run creates show Provisioning.
 */
async function writeProgressing(store: ClusterStore, scope: ClusterScope, now: Date): Promise<void> {
  scope.provisioning = machinesToProvision(scope);
  const statuses = computeStatuses(scope, now);
  // Without recorded outputs (a new working directory, e.g. a rescheduled pod) this pass cannot see
  // the instances yet: Machines it does not provision keep their status until the run's outputs say.
  const machines = scope.outputs
    ? statuses.machines
    : statuses.machines.filter((m) => scope.provisioning.has(m.object.metadata.name ?? ""));
  await writeStatuses(store, { ...statuses, machines });
}

/** One Warning Event per new verdict (not one per pass): on the Cluster, and on each Machine at fault. */
async function reportInvalid(store: ClusterStore, scope: ClusterScope, errors: FieldError[]): Promise<void> {
  const message = describeErrors(errors);
  const ready = findCondition(scope.cluster.status?.conditions, "Ready");
  if (ready?.message === message) return;
  await store.event(scope.cluster, "Warning", EventReason.InvalidConfiguration, message);
  for (const machine of scope.machines) {
    const own = describeErrors(errors, { kind: "Machine", name: machine.metadata.name ?? "" });
    if (own) await store.event(machine, "Warning", EventReason.InvalidConfiguration, own);
  }
}

/** The Machines concerned hear about their own instance (Terraform's details stay in the log). */
async function reportCreated(store: ClusterStore, scope: ClusterScope): Promise<void> {
  const created = machineOutputNames(scope);
  const concerned = scope.machines.filter((machine) => {
    const name = machine.metadata.name ?? "";
    return scope.provisioning.has(name) && created.has(name);
  });
  const message = `instance created by the apply of Cluster ${scope.key.namespace}/${scope.key.name}`;
  await writeEach(concerned, (machine) =>
    store.event(machine, "Normal", EventReason.InstanceCreated, message),
  );
}
