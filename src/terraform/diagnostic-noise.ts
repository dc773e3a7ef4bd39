import type { Diagnostic } from "./types.js";

/**
 * Warnings Terraform prints that a clusterform user cannot act on, by their
 * summary (Terraform gives diagnostics no code, so the summary is the only
 * identity it offers). "Incomplete lock file information for providers":
 * installing from a filesystem mirror records only the local platform's
 * checksum; clusterform owns the lock file and the mirror, and the advice
 * (`terraform providers lock`) is not the user's to follow.
 */
const UNACTIONABLE_WARNINGS: readonly string[] = ["Incomplete lock file information for providers"];

/** True for a warning that is noise to a user: log it at debug level, never as a warning. */
export function isUnactionableWarning(diagnostic: Diagnostic): boolean {
  return diagnostic.severity === "warning" && UNACTIONABLE_WARNINGS.includes(diagnostic.summary.trim());
}
