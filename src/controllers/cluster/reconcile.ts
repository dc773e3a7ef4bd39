import { findCondition } from "../../api/conditions.js";
import { EventReason } from "../../api/event-reasons.js";
import type { FieldError } from "../../api/field-error.js";
import type { ConvergeOptions } from "../../converge/options.js";
import type { StackCache } from "../../converge/stack-cache.js";
import { type ApplyPolicy, DEFAULT_APPLY_POLICY } from "../../plans/apply-policy.js";
import { DEFAULT_DRIFT_INTERVAL_MS, driftCheckDelay, resolveDriftInterval } from "../../plans/drift.js";
import { isDeleting } from "../../util/objects.js";
import { convergeForCluster } from "./backend-credentials.js";
import { deleteCluster } from "./delete.js";
import { isRetryable, observedErrorFrom } from "./errors.js";
import { addFinalizers, machinesToRelease, objectsMissingFinalizer, removeFinalizer } from "./finalizers.js";
import { machineOutputNames, machinesToProvision, shouldPlan } from "./gates.js";
import { ORPHANED_MESSAGE } from "./names.js";
import { readPendingPlan } from "./pending-plan.js";
import { reconcileStack } from "./plan-flow.js";
import { heldPlanRecheckDelayFor } from "./prior-state.js";
import { type ClusterKey, type ClusterScope, loadScope } from "./scope.js";
import { withStateLockRecovery } from "./state-lock.js";
import { computeStatuses, writeStatuses } from "./status.js";
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
  /** --export-dir: where every new plan's configuration is published for pipelines. */
  exportDir?: string;
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
  const scope = await loadScope(store, key, deps.converge.stateDir);
  if (!scope) {
    deps.stacks.forget(key);
    return {};
  }
  const missing = objectsMissingFinalizer(scope);
  if (missing.length > 0 && !isDeleting(scope.cluster)) {
    // Our own update brings the key back through the watch.
    await addFinalizers(store, missing);
    return {};
  }
  let released = false;
  let failure: unknown;
  try {
    const converge = await convergeForCluster(store, scope, deps.converge);
    if (isDeleting(scope.cluster)) {
      const context = { store, converge, ...(signal ? { signal } : {}) };
      released = await withStateLockRecovery(
        { ...context, now },
        scope,
        () => deleteCluster(context, scope),
        (done) => done,
      );
      if (released) deps.stacks.forget(key);
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
  return nextCheck(deps, scope, now);
}

/** A converged cluster (applied, nothing held) gets a drift check every interval, jittered per Cluster. */
function driftCheckDelayFor(deps: ClusterReconcilerDeps, scope: ClusterScope, now: Date): number | undefined {
  if (!scope.applied || scope.planPending || isDeleting(scope.cluster) || scope.invalid) return undefined;
  const { intervalMs } = resolveDriftInterval(
    scope.cluster.metadata.annotations,
    deps.driftIntervalMs ?? DEFAULT_DRIFT_INTERVAL_MS,
  );
  if (intervalMs === undefined) return undefined;
  const last = scope.drift?.checkedAt ?? scope.cluster.status?.lastDriftCheck;
  return driftCheckDelay(last, now, intervalMs, scope.cluster.metadata.uid ?? scope.key.name);
}

function driftCheckDue(deps: ClusterReconcilerDeps, scope: ClusterScope, now: Date): boolean {
  return driftCheckDelayFor(deps, scope, now) === 0;
}

/** The next drift check, or the next re-read of a held plan's shared state (a pipeline may apply it). */
async function nextCheck(
  deps: ClusterReconcilerDeps,
  scope: ClusterScope,
  now: () => Date,
): Promise<{ requeueAfterMs?: number }> {
  const pending = scope.planPending && !scope.error ? await readPendingPlan(scope.workDir) : undefined;
  const delay = pending
    ? heldPlanRecheckDelayFor({ ...deps, now }, scope, pending)
    : driftCheckDelayFor(deps, scope, now());
  // A check that is due now but did not run (e.g. a failure) waits for the queue's own retry.
  return delay ? { requeueAfterMs: delay } : {};
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
  const model = validation.model;
  scope.model = model;
  const stack = deps.stacks.synth(model);
  const driftDue = deps.driftCheckDue ? deps.driftCheckDue(scope) : driftCheckDue(deps, scope, now());
  const verdict = shouldPlan(scope, stack, { driftCheckDue: driftDue });
  const label = `${scope.key.namespace}/${scope.key.name}`;
  const lockContext = { store, converge: deps.converge, now, ...(signal ? { signal } : {}) };
  // A lock our own crashed run left is cleared and the whole step redone; any other holder is waited for.
  const outcome = await withStateLockRecovery(
    lockContext,
    scope,
    () =>
      reconcileStack(
        {
          store,
          converge: deps.converge,
          defaultApplyPolicy: deps.defaultApplyPolicy ?? DEFAULT_APPLY_POLICY,
          runLimit: deps.runLimit,
          now,
          ...(signal ? { signal } : {}),
          ...(deps.exportDir ? { exportDir: deps.exportDir } : {}),
          ...(deps.driftIntervalMs ? { driftIntervalMs: deps.driftIntervalMs } : {}),
          beforeTerraform: async () => {
            deps.log("planning", { cluster: label, why: verdict.reason });
            // A Provisioning status is written before the long plan and apply, so kubectl shows work under way.
            scope.provisioning = machinesToProvision(scope);
            await writeStatuses(store, computeStatuses(scope, now()));
          },
          afterDrift: async () => {
            // Drift found is shown before a correcting apply starts (which then marks it corrected).
            await writeStatuses(store, computeStatuses(scope, now()));
          },
        },
        scope,
        model,
        stack,
        verdict,
      ),
    (result) => result.step === "plan" || result.step === "apply-pending",
  );
  if (outcome.applied) await reportCreated(store, scope);
  scope.provisioning = new Set();
  if (outcome.step !== "idle" && outcome.step !== "wait")
    deps.log("converged", { cluster: label, step: outcome.step, plan: scope.plan });
  // Machines being deleted are out of the applied configuration: their instances are gone.
  const orphaned = new Set(model.orphanedMachines ?? []);
  for (const machine of machinesToRelease(scope, stack.configHash)) {
    if (orphaned.has(machine.metadata.name ?? ""))
      await store.event(machine, "Normal", EventReason.InstanceOrphaned, ORPHANED_MESSAGE);
    await removeFinalizer(store, machine);
    scope.machines = scope.machines.filter((m) => m !== machine);
  }
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
  for (const machine of scope.machines) {
    const name = machine.metadata.name ?? "";
    if (!scope.provisioning.has(name) || !created.has(name)) continue;
    const message = `instance created by the apply of Cluster ${scope.key.namespace}/${scope.key.name}`;
    await store.event(machine, "Normal", EventReason.InstanceCreated, message);
  }
}
