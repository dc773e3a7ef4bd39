import { createInterface } from "node:readline/promises";
import { ExitCode, UsageError } from "./exit.js";

/**
 * Asks before anything changes, as terraform does: only "yes" proceeds.
 * Without a terminal there is nobody to ask, so it refuses instead of waiting.
 */
export async function confirm(
  question: string,
  options: { autoApprove: boolean; verb: string },
): Promise<void> {
  if (options.autoApprove) return;
  if (!process.stdin.isTTY) {
    throw new UsageError(
      `no terminal to confirm the ${options.verb} on, and --auto-approve was not given: nothing was changed. Re-run with --auto-approve to ${options.verb} without asking.`,
      ExitCode.Declined,
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question}\n  Only 'yes' will be accepted: `);
    if (answer.trim() !== "yes") {
      throw new UsageError(`${options.verb} cancelled: nothing was changed.`, ExitCode.Declined);
    }
  } finally {
    rl.close();
  }
}
