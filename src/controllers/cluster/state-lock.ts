import { EventReason } from "../../api/event-reasons.js";
import { ClusterTerraform } from "../../converge/cluster-terraform.js";
import type { ConvergeOptions } from "../../converge/options.js";
import { StateLockedError } from "../../terraform/errors.js";
import { describeLock, type StaleLockVerdict } from "../../terraform/state-lock.js";
import type { ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";

/**
 * Terraform's state lock as the controller handles it: a lock our own
 * crashed run left behind is force-unlocked once (Warning Event
 * StaleLockCleared) and the work retried in the same pass; any other holder
 * (a pipeline, a live process) is waited for: condition StateLocked=True, the
 * StateLockedError rethrown so the queue retries with backoff. The condition
 * turns False once a run gets the lock (status/cluster-status.ts sets it from
 * scope.stateLock).
 */

export interface StateLockContext {
  store: ClusterStore;
  converge: ConvergeOptions;
  now: () => Date;
  signal?: AbortSignal;
}

/**
 * Runs `task` (Terraform work on this cluster's state); `acquired(result)`
 * says whether Terraform ran and so held the lock.
 */
export async function withStateLockRecovery<T>(
  context: StateLockContext,
  scope: ClusterScope,
  task: () => Promise<T>,
  acquired: (result: T) => boolean,
): Promise<T> {
  let cleared = false;
  for (;;) {
    try {
      const result = await task();
      if (acquired(result)) scope.stateLock = { locked: false };
      return result;
    } catch (error) {
      if (!(error instanceof StateLockedError)) throw error;
      const verdict: StaleLockVerdict = cleared
        ? { stale: false, reason: "a stale lock was already cleared in this pass" }
        : await clearIfStale(context, scope, error);
      if (!verdict.stale) {
        scope.stateLock = { locked: true, message: lockedMessage(error, verdict.reason) };
        throw error;
      }
      cleared = true;
      await context.store.event(
        scope.cluster,
        "Warning",
        EventReason.StaleLockCleared,
        clearedMessage(error, verdict, context.now()),
      );
    }
  }
}

async function clearIfStale(
  context: StateLockContext,
  scope: ClusterScope,
  error: StateLockedError,
): Promise<StaleLockVerdict> {
  const terraform = new ClusterTerraform(scope.key, context.converge);
  try {
    return await terraform.clearStaleLock(error, context.signal ? { signal: context.signal } : {});
  } catch (failure) {
    // A failed force-unlock leaves the lock as it was: still locked, still retried.
    return { stale: false, reason: `force-unlock failed: ${(failure as Error).message}` };
  }
}

/** Who holds the lock, since when, and what a person can do about it. */
export function lockedMessage(error: StateLockedError, why: string): string {
  const id = error.lock?.id ?? error.lockId ?? "<lock id>";
  return (
    `Terraform state locked by ${describeLock(error.lock, error.lockId)}; not cleared automatically (${why}). ` +
    "clusterform waits and retries with backoff; if you know that holder is gone, unlock it with " +
    `terraform force-unlock ${id} (in a directory initialised with this Cluster's backend)`
  );
}

function clearedMessage(error: StateLockedError, verdict: StaleLockVerdict, now: Date): string {
  const lock = error.lock;
  const created = lock?.created ? Date.parse(lock.created) : Number.NaN;
  const age = Number.isNaN(created) ? "" : ` for ${formatAge(now.getTime() - created)}`;
  return (
    `cleared stale state lock ${lock?.id} held by ${lock?.who} (${lock?.operation ?? "unknown operation"})` +
    `${age}: ${verdict.reason}`
  );
}

function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (hours > 0) return `${hours}h${minutes % 60}m`;
  if (minutes > 0) return `${minutes}m${seconds % 60}s`;
  return `${seconds}s`;
}
