/** The CLI's exit codes (documented in the README). */
export const ExitCode = {
  Ok: 0,
  Failed: 1,
  Invalid: 2,
  Declined: 3,
} as const;

/** An error the CLI reports as its message alone, with its own exit code. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "UsageError";
  }
}
