import { ClusterformError } from "../../errors.js";
import type { ObservedError } from "../../status/observations.js";

/** A failure as status shows it: terminal only when retrying cannot help (the spec must change). */
export function observedErrorFrom(error: unknown): ObservedError {
  if (error instanceof ClusterformError) {
    return { reason: error.reason, message: error.message, terminal: !error.retryable };
  }
  const message = error instanceof Error ? error.message : String(error);
  // Unknown failures (API server unreachable, a bug) are retried: never a terminal verdict on the spec.
  return { reason: "ReconcileError", message, terminal: false };
}

/** Whether the work queue should retry the key with backoff. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof ClusterformError) || error.retryable;
}
