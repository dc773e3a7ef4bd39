import { ClusterformError } from "../errors.js";

/** One readable message for any error (Terraform's diagnostics are in the message, redacted by the runner). */
export function errorMessage(error: unknown): string {
  if (error instanceof ClusterformError) return `${error.message} [${error.reason}]`;
  return error instanceof Error ? error.message : String(error);
}
