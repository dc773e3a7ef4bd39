import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { WorkspaceBusyError } from "./errors.js";
import { isAlive, runIsAlive } from "./liveness.js";
import { readRunRecord, retireRunRecord } from "./run-record.js";

/**
 * One operation per working directory at a time. Inside this process callers
 * queue on a per-directory promise chain; across processes a lock file
 * (`.runner/lock`, created exclusively) names the holder. A lock whose holder
 * died is cleared, but only after any Terraform it started has exited too: a
 * crashed controller's Terraform keeps running in its own process group.
 */

interface LockContent {
  pid: number;
  hostname: string;
  operation: string;
  acquiredAt: string;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `task` holding the directory's lock; calls on one directory never overlap. */
export async function withDirectoryLock<T>(
  runnerDir: string,
  operation: string,
  task: () => Promise<T>,
  waitForAbandonedRunMs = 0,
): Promise<T> {
  const previous = queues.get(runnerDir) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(async () => {
      await acquireLockFile(runnerDir, operation, waitForAbandonedRunMs);
      try {
        return await task();
      } finally {
        await rm(join(runnerDir, "lock"), { force: true });
      }
    });
  queues.set(runnerDir, run);
  try {
    return await run;
  } finally {
    if (queues.get(runnerDir) === run) queues.delete(runnerDir);
  }
}

async function acquireLockFile(runnerDir: string, operation: string, waitMs: number): Promise<void> {
  const file = join(runnerDir, "lock");
  const content: LockContent = {
    pid: process.pid,
    hostname: hostname(),
    operation,
    acquiredAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, `${JSON.stringify(content)}\n`, { flag: "wx", mode: 0o600 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readLock(file);
    if (!holder && (await isFresh(file))) throw new WorkspaceBusyError(runnerDir, -1, "lock being written");
    if (holder && (holder.hostname !== hostname() || isAlive(holder.pid))) {
      throw new WorkspaceBusyError(runnerDir, holder.pid, holder.operation);
    }
    await waitForAbandonedRun(runnerDir, waitMs);
    await rm(file, { force: true });
  }
  throw new WorkspaceBusyError(runnerDir, -1, "lock file keeps reappearing");
}

/** A dead holder may have left Terraform running: wait for it (up to waitMs) before taking over. */
async function waitForAbandonedRun(runnerDir: string, waitMs: number): Promise<void> {
  const record = await readRunRecord(runnerDir);
  if (!record || record.hostname !== hostname()) return;
  const deadline = Date.now() + waitMs;
  while (runIsAlive(record)) {
    if (Date.now() >= deadline)
      throw new WorkspaceBusyError(runnerDir, record.pid, `abandoned ${record.operation}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // Kept in the history: its Terraform may have died holding a state lock (state-lock.ts).
  await retireRunRecord(runnerDir, record, "abandoned");
}

async function readLock(file: string): Promise<LockContent | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as LockContent;
  } catch {
    // Half-written or vanished: treat as stale; the exclusive create decides.
    return undefined;
  }
}

/** An unreadable lock younger than a few seconds is probably being written right now. */
async function isFresh(file: string): Promise<boolean> {
  const info = await stat(file).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs < 5_000;
}
