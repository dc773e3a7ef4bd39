import { EventReason } from "../../api/event-reasons.js";
import { ClusterTerraform } from "../../converge/cluster-terraform.js";
import type { ConvergeOptions } from "../../converge/options.js";
import type { SynthResult } from "../../converge/stack-cache.js";
import type { ClusterModel } from "../../model/types.js";
import { APPROVE_PLAN_ANNOTATION } from "../../plans/approval.js";
import { DEFAULT_DRIFT_INTERVAL_MS, resolveDriftInterval } from "../../plans/drift.js";
import { stateFingerprint } from "../../plans/plan-id.js";
import { heldPlanRecheckDelay, isSharedBackend, stateReadNeeded } from "../../plans/shared-state.js";
import { type PendingPlanRecord, writePendingPlan } from "./pending-plan.js";
import type { ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";

/** The state now, as far as this pass needs to know it (a new plan's id comes from its plan file). */
export interface PriorState {
  /** The state's text, when it was read this pass ("" when there is none). */
  text?: string;
  /** stateFingerprint() of it; when unread, the held plan's (a waiting plan assumes its state). */
  fingerprint: string;
}

export interface PriorStateContext {
  store: ClusterStore;
  converge: ConvergeOptions;
  runLimit: <T>(task: () => Promise<T>) => Promise<T>;
  driftIntervalMs?: number;
  now: () => Date;
  signal?: AbortSignal;
}

/**
 * Reads the prior state when this pass needs it (`stateReadNeeded`): the
 * local file, or `terraform state pull` for a shared backend. A pull under a
 * held plan records when it happened (the next re-check counts from it) and
 * says so with an Event when the state moved.
 */
export async function readPriorState(
  context: PriorStateContext,
  scope: ClusterScope,
  model: ClusterModel,
  stack: SynthResult,
  pending: PendingPlanRecord | undefined,
  oneRunCandidate = false,
): Promise<PriorState> {
  const shared = isSharedBackend(model.backend);
  const needed = stateReadNeeded({
    shared,
    pending,
    oneRunCandidate,
    configHash: stack.configHash,
    approvalId: scope.cluster.metadata.annotations?.[APPROVE_PLAN_ANNOTATION]?.trim(),
    recheckDue: pending !== undefined && heldPlanRecheckDelayFor(context, scope, pending) === 0,
  });
  if (!needed.ok) return { fingerprint: pending?.stateFingerprint ?? stateFingerprint("") };
  if (!shared) {
    const text = await new ClusterTerraform(scope.key, context.converge).readLocalState();
    return { text, fingerprint: stateFingerprint(text) };
  }
  const text = await context.runLimit(() => pullState(context, model, stack));
  const fingerprint = stateFingerprint(text);
  if (pending) await noteRecheck(context, scope, pending, fingerprint);
  return { text, fingerprint };
}

/** Time until a held plan's shared state is read again; undefined for a local state or drift checks off. */
export function heldPlanRecheckDelayFor(
  context: { driftIntervalMs?: number; now: () => Date },
  scope: ClusterScope,
  pending: PendingPlanRecord,
): number | undefined {
  if (!isSharedBackend(scope.model?.backend)) return undefined;
  const { intervalMs } = resolveDriftInterval(
    scope.cluster.metadata.annotations,
    context.driftIntervalMs ?? DEFAULT_DRIFT_INTERVAL_MS,
  );
  return heldPlanRecheckDelay(
    pending,
    context.now(),
    intervalMs,
    scope.cluster.metadata.uid ?? scope.key.name,
  );
}

async function pullState(
  context: PriorStateContext,
  model: ClusterModel,
  stack: SynthResult,
): Promise<string> {
  const terraform = new ClusterTerraform(model, context.converge);
  // The backend block comes from the configuration: init must see the current one.
  await terraform.writeConfig(stack.json);
  return terraform.pullState(context.signal ? { signal: context.signal } : {});
}

async function noteRecheck(
  context: PriorStateContext,
  scope: ClusterScope,
  pending: PendingPlanRecord,
  fingerprint: string,
): Promise<void> {
  if (fingerprint === pending.stateFingerprint) {
    await writePendingPlan(scope.workDir, { ...pending, stateCheckedAt: context.now().toISOString() });
    return;
  }
  const message = `the shared state moved since plan ${pending.id} was made (${pending.stateFingerprint} -> ${fingerprint}): planning again`;
  await context.store.event(scope.cluster, "Normal", EventReason.StateMoved, message);
}
