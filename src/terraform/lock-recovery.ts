import { hostname } from "node:os";
import type { TerraformCommand } from "./command.js";
import type { StateLockedError } from "./errors.js";
import { isAlive, runIsAlive } from "./liveness.js";
import { type FinishedRun, readRunHistory, readRunRecord } from "./run-record.js";
import { decideStaleLock, type StaleLockVerdict, terraformWho } from "./state-lock.js";
import type { RunRecord } from "./types.js";

// Runs and locks left behind by a process that died; the caller holds the directory lock.

/** A run left by a process that died while its Terraform kept going (see `.runner/run.json`). */
export async function abandonedRun(runnerDir: string): Promise<RunRecord | undefined> {
  const record = await readRunRecord(runnerDir);
  if (!record) return undefined;
  return runIsAlive(record) && !isAlive(record.ownerPid) ? record : undefined;
}

/**
 * Force-unlocks the state lock a run failed on only when it is provably this
 * directory's own, left by a run that died (decideStaleLock); anything else
 * (a pipeline, a live process, another host or user) is left alone.
 */
export async function clearStaleLock(
  command: TerraformCommand,
  error: StateLockedError,
  signal?: AbortSignal,
): Promise<StaleLockVerdict> {
  const { lock } = error;
  if (!lock) return { stale: false, reason: "Terraform did not describe the lock" };
  const verdict = decideStaleLock({
    lock,
    runs: await pastRuns(command.settings.runnerDir),
    who: terraformWho(command.settings.baseEnv),
    hostname: hostname(),
    isAlive: runIsAlive,
  });
  if (verdict.stale) await command.run("force-unlock", ["force-unlock", "-force", lock.id], { signal });
  return verdict;
}

/** The run history, plus a run record left by a crashed owner (none of ours runs while we hold the lock). */
async function pastRuns(runnerDir: string): Promise<FinishedRun[]> {
  const runs = await readRunHistory(runnerDir);
  const left = await readRunRecord(runnerDir);
  if (left) runs.push({ ...left, endedAt: new Date().toISOString(), end: "abandoned" });
  return runs;
}
