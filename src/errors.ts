/**
 * Errors as values: every error the project raises carries a `reason` (it goes
 * into status.errorReason and condition reasons) and whether retrying may help.
 * Match on class or reason, never on message text.
 */
export abstract class ClusterformError extends Error {
  abstract readonly reason: string;
  abstract readonly retryable: boolean;
}

/** A spec that can never converge as written (also: status InvalidConfiguration). */
export class InvalidConfigurationError extends ClusterformError {
  readonly reason = "InvalidConfiguration";
  readonly retryable = false;
  constructor(
    message: string,
    readonly errors: readonly string[] = [],
  ) {
    super(message);
    this.name = "InvalidConfigurationError";
  }
}

/**
 * Bad content in an object clusterform reads but does not watch (a brought
 * PKI Secret, a Secret holding a Machine's bootstrap name): terminal for the
 * pass, but re-read every minute, so fixing the object is enough (no
 * Cluster edit needed to bring the key back).
 */
export class UnwatchedInputError extends InvalidConfigurationError {
  readonly recheckAfterMs = 60_000;
}

/** A required tool or setting is missing on this machine. */
export class PrerequisiteError extends ClusterformError {
  readonly reason = "MissingPrerequisite";
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = "PrerequisiteError";
  }
}

/** The user declined, or no terminal was there to ask. */
export class NotApprovedError extends ClusterformError {
  readonly reason = "NotApproved";
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = "NotApprovedError";
  }
}

/** A Secret clusterform must write exists and belongs to someone else: it is never overwritten. */
export class OutputsSecretConflictError extends ClusterformError {
  readonly reason = "OutputsSecretConflict";
  // The owner of the other Secret may rename or delete it; then the next try succeeds.
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = "OutputsSecretConflictError";
  }
}
