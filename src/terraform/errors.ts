import { ClusterformError } from "../errors.js";
import { describeLock, parseLockInfo, type StateLockInfo } from "./state-lock.js";
import type { Diagnostic, TerraformOperation } from "./types.js";

/** Terraform failed; its (redacted) diagnostics say why. */
export class TerraformError extends ClusterformError {
  readonly reason: string = "TerraformFailed";
  readonly retryable: boolean;
  constructor(
    readonly operation: TerraformOperation,
    readonly dir: string,
    readonly diagnostics: readonly Diagnostic[],
    readonly exitCode: number | null,
    /** Redacted tail of stderr, for failures Terraform did not explain in -json. */
    readonly stderr = "",
  ) {
    super(describeFailure(operation, dir, diagnostics, exitCode, stderr));
    this.name = "TerraformError";
    // Killed by a signal nobody here sent (the OOM killer, an operator): not the configuration's fault.
    // Its state lock may be left behind; the retry's clearStaleLock handles that.
    this.retryable = exitCode === null || diagnostics.some(isTransientDiagnostic);
  }
}

/** Another Terraform run holds the state lock (Terraform's own lock, not the runner's). */
export class StateLockedError extends TerraformError {
  override readonly reason = "StateLocked";
  override readonly retryable = true;
  /** Everything Terraform said about the lock ("Lock Info:"), when it said it. */
  readonly lock: StateLockInfo | undefined;
  constructor(
    operation: TerraformOperation,
    dir: string,
    diagnostics: readonly Diagnostic[],
    exitCode: number | null,
    readonly lockId?: string,
    readonly lockHolder?: string,
    lock?: StateLockInfo,
  ) {
    super(operation, dir, diagnostics, exitCode);
    this.name = "StateLockedError";
    this.lock = lock;
    this.message = `terraform ${operation} in ${dir}: the state is locked by ${describeLock(lock, lockId)}`;
  }
}

export class TerraformTimeoutError extends ClusterformError {
  readonly reason = "TerraformTimeout";
  readonly retryable = true;
  constructor(
    readonly operation: TerraformOperation,
    readonly dir: string,
    readonly timeoutMs: number,
  ) {
    super(
      `terraform ${operation} in ${dir} ran longer than ${timeoutMs} ms and was interrupted; ` +
        "raise the timeout if the provider is just slow",
    );
    this.name = "TerraformTimeoutError";
  }
}

export class TerraformCancelledError extends ClusterformError {
  readonly reason = "TerraformCancelled";
  readonly retryable = true;
  constructor(
    readonly operation: TerraformOperation,
    readonly dir: string,
  ) {
    super(`terraform ${operation} in ${dir} was cancelled (SIGINT to its process group)`);
    this.name = "TerraformCancelledError";
  }
}

/** Another process (or an abandoned Terraform run) is working in this directory. */
export class WorkspaceBusyError extends ClusterformError {
  readonly reason = "WorkspaceBusy";
  readonly retryable = true;
  constructor(
    readonly dir: string,
    readonly holderPid: number,
    readonly holderOperation: string,
  ) {
    super(
      `${dir} is in use by process ${holderPid} (${holderOperation}); wait for it to finish, ` +
        "or remove .runner/lock if that process is not a clusterform runner",
    );
    this.name = "WorkspaceBusyError";
  }
}

/** Errors worth retrying: the endpoint was unreachable or throttled us, not the configuration. */
const TRANSIENT_PATTERNS = [
  /connection refused/i,
  /connection reset/i,
  /i\/o timeout/i,
  /TLS handshake timeout/i,
  /RequestLimitExceeded|Throttling|TooManyRequests/,
  /no such host/i,
];

function isTransientDiagnostic(diagnostic: Diagnostic): boolean {
  const text = `${diagnostic.summary}\n${diagnostic.detail}`;
  return diagnostic.severity === "error" && TRANSIENT_PATTERNS.some((pattern) => pattern.test(text));
}

function describeFailure(
  operation: TerraformOperation,
  dir: string,
  diagnostics: readonly Diagnostic[],
  exitCode: number | null,
  stderr: string,
): string {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const lines = errors.map((d) => {
    const where = d.address ? ` (${d.address})` : d.range ? ` (${d.range.filename}:${d.range.line})` : "";
    const detail = d.detail ? `: ${d.detail.split("\n")[0]}` : "";
    return `${d.summary}${where}${detail}`;
  });
  const why = lines.length > 0 ? lines.join("; ") : stderr.trim() || "no diagnostic printed";
  return `terraform ${operation} failed in ${dir} (exit ${exitCode ?? "signal"}): ${why}`;
}

/** Builds the right error class for a failed run from its diagnostics. */
export function errorFromDiagnostics(
  operation: TerraformOperation,
  dir: string,
  diagnostics: readonly Diagnostic[],
  exitCode: number | null,
  stderr: string,
): TerraformError {
  const lock = diagnostics.find((d) => d.summary === "Error acquiring the state lock");
  if (lock) {
    const info = parseLockInfo(lock.detail);
    return new StateLockedError(operation, dir, diagnostics, exitCode, info?.id, info?.who, info);
  }
  return new TerraformError(operation, dir, diagnostics, exitCode, stderr);
}

/**
 * The configuration's backend differs from the one the directory was
 * initialised with, and the old one may hold state. Moving state is a
 * decision for a person (it can overwrite a pipeline's state), never automatic.
 */
export class BackendChangedError extends ClusterformError {
  readonly reason = "BackendChanged";
  readonly retryable = false;
  constructor(
    readonly dir: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(
      `the state backend of ${dir} changed from ${from} to ${to}, and the ${from} state may hold resources; ` +
        `clusterform does not move state on its own. Move it by hand (cd ${dir} && terraform init -migrate-state; ` +
        "Terraform asks before overwriting), or, if the old state is meant to be left behind, delete " +
        `${dir}/.terraform and ${dir}/terraform.tfstate; or restore the Cluster's clusterform.io/backend annotations`,
    );
    this.name = "BackendChangedError";
  }
}
