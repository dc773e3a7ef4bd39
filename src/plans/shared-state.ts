import type { BackendSettings } from "../model/types.js";
import { driftCheckDelay } from "./drift.js";

/**
 * With a shared backend (s3, kubernetes) the state lives outside the working
 * directory, and a pipeline applying the exported configuration moves it
 * without clusterform seeing a file change. Reading it costs a Terraform run
 * (`state pull`: ~0.5 s CPU with the AWS provider), so a pass reads it only
 * when the answer can change what the pass does. A new plan needs no read:
 * its plan file records the state it was made against.
 */

/** Is the state outside the cluster's working directory? */
export function isSharedBackend(backend: BackendSettings | undefined): boolean {
  return backend !== undefined && backend.type !== "local";
}

export interface StateReadInput {
  /** isSharedBackend() of the cluster's backend. */
  shared: boolean;
  /** The held plan, when one is kept. */
  pending?: { id: string; configHash: string } | undefined;
  /** sha256 of the configuration now. */
  configHash: string;
  /** The clusterform.io/approve-plan annotation, trimmed. */
  approvalId?: string | undefined;
  /** heldPlanRecheckDelay() is 0. */
  recheckDue: boolean;
  /** Nothing but the state rules out planning and applying in one run (one-run.ts oneRunRuledOut). */
  oneRunCandidate?: boolean;
}

/**
 * Whether this pass must know the state. A local state is a file: always read.
 * A shared one when a change may be planned and applied in one run (what the
 * state holds decides it), or under a held plan with the same configuration:
 * when an approval is about to apply it (only if the state has not moved), or
 * when its periodic re-check is due. Otherwise a held plan waits on the state
 * it was planned against, and a new plan takes its state from its plan file.
 */
export function stateReadNeeded(input: StateReadInput): { ok: boolean; reason: string } {
  if (!input.shared) return { ok: true, reason: "the state is a local file" };
  const { pending } = input;
  if (!pending && input.oneRunCandidate)
    return {
      ok: true,
      reason: "one run may plan and apply only if the state holds nothing the configuration lacks",
    };
  if (!pending) return { ok: false, reason: "no held plan: a new plan records its state in its plan file" };
  if (pending.configHash !== input.configHash)
    return {
      ok: false,
      reason: `the configuration changed: the held plan ${pending.id} is out of date anyway`,
    };
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

/**
 * When a pass that keeps a held plan should come back: at its next re-check,
 * or soon when the re-check came due during the pass itself (a plan, its
 * export and status writes can outlast a short drift interval) — a pass that
 * ends with the re-check due and asks for no requeue would never re-check.
 */
export const DUE_RECHECK_REQUEUE_MS = 1_000;

export function heldPlanRequeueDelay(recheckDelayMs: number | undefined): number | undefined {
  return recheckDelayMs === undefined ? undefined : Math.max(recheckDelayMs, DUE_RECHECK_REQUEUE_MS);
}
