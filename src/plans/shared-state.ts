import type { BackendSettings } from "../model/types.js";
import { driftCheckDelay } from "./drift.js";

/**
 * With a shared backend (s3, kubernetes) the state lives outside the working
 * directory, and a pipeline applying the exported configuration moves it
 * without clusterform seeing a file change. Reading it costs a Terraform run
 * (`state pull`: init when needed, ~0.4 s CPU with the AWS provider), so a
 * pass reads it only when the answer can change what the pass does.
 */

/** Is the state outside the cluster's working directory? */
export function isSharedBackend(backend: BackendSettings | undefined): boolean {
  return backend !== undefined && backend.type !== "local";
}

export interface StateReadInput {
  /** isSharedBackend() of the cluster's backend. */
  shared: boolean;
  /** shouldPlan's verdict (configuration changed, never applied, drift check due). */
  planWanted: boolean;
  /** The held plan, when one is kept. */
  pending?: { id: string; configHash: string } | undefined;
  /** sha256 of the configuration now. */
  configHash: string;
  /** The clusterform.io/approve-plan annotation, trimmed. */
  approvalId?: string | undefined;
  /** heldPlanRecheckDelay() is 0. */
  recheckDue: boolean;
}

/**
 * Whether this pass must know the state. A local state is a file: always read.
 * A shared one: when a new plan is coming (its id names the state it is
 * planned against), when an approval is about to apply the held plan (only if
 * the state has not moved), or when the held plan's periodic re-check is due.
 * A held plan otherwise waits on the state it was planned against.
 */
export function stateReadNeeded(input: StateReadInput): { ok: boolean; reason: string } {
  if (!input.shared) return { ok: true, reason: "the state is a local file" };
  const { pending } = input;
  if (!pending) {
    return input.planWanted
      ? { ok: true, reason: "a plan is due: its id names the state it is planned against" }
      : { ok: false, reason: "nothing to plan and no held plan" };
  }
  if (pending.configHash !== input.configHash)
    return { ok: true, reason: `the configuration changed since the held plan ${pending.id}` };
  if (input.approvalId === pending.id)
    return {
      ok: true,
      reason: `plan ${pending.id} is approved: it is applied only if the state has not moved`,
    };
  if (input.recheckDue)
    return { ok: true, reason: `re-checking whether the state moved under the held plan ${pending.id}` };
  return {
    ok: false,
    reason: `the held plan ${pending.id} waits; its state is re-checked every drift interval`,
  };
}

/**
 * Milliseconds until a held plan's shared state is read again (0: due), on
 * the cluster's drift interval with its jitter; undefined when drift checks
 * are off. Counted from the last read (or the plan itself).
 */
export function heldPlanRecheckDelay(
  pending: { generatedAt: string; stateCheckedAt?: string | undefined },
  now: Date,
  intervalMs: number | undefined,
  seed: string,
): number | undefined {
  if (intervalMs === undefined) return undefined;
  return driftCheckDelay(pending.stateCheckedAt ?? pending.generatedAt, now, intervalMs, seed);
}
