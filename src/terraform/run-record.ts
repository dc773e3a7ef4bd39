import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { writeJsonAtomic } from "../util/atomic-write.js";
import type { RunRecord } from "./types.js";

/**
 * `.runner/run.json` names the Terraform process working in a directory. It
 * outlives a crash of its owner, so a restarted runner can find the abandoned
 * run (its process group keeps going) and wait for it before planning again.
 *
 * When a run ends, its record moves to `.runner/runs.json`, the directory's
 * recent history: a Terraform state lock left behind (s3, kubernetes) is
 * cleared only when one of these runs provably took it (state-lock.ts).
 */

/** How a run ended: Terraform exited by itself, was killed by a signal, or was found dead by a later runner. */
export type RunEnd = "exited" | "signalled" | "abandoned";

export interface FinishedRun extends RunRecord {
  /** When it ended (for an abandoned run: when it was found dead, an upper bound). */
  endedAt: string;
  end: RunEnd;
}

const HISTORY_FILE = "runs.json";
/** Enough to cover the runs of a few reconciles; older runs cannot hold a lock nobody noticed. */
const HISTORY_LENGTH = 20;

export async function writeRunRecord(runnerDir: string, record: RunRecord): Promise<void> {
  await writeFile(join(runnerDir, "run.json"), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

export async function readRunRecord(runnerDir: string): Promise<RunRecord | undefined> {
  try {
    return JSON.parse(await readFile(join(runnerDir, "run.json"), "utf8")) as RunRecord;
  } catch {
    return undefined;
  }
}

export async function removeRunRecord(runnerDir: string): Promise<void> {
  await rm(join(runnerDir, "run.json"), { force: true });
}

/** Moves the run record into the history with how it ended, then removes run.json. */
export async function retireRunRecord(
  runnerDir: string,
  record: RunRecord,
  end: RunEnd,
  endedAt = new Date(),
): Promise<void> {
  const history = await readRunHistory(runnerDir);
  history.push({ ...record, endedAt: endedAt.toISOString(), end });
  const file = join(runnerDir, HISTORY_FILE);
  await writeJsonAtomic(file, history.slice(-HISTORY_LENGTH), { mode: 0o600 });
  await removeRunRecord(runnerDir);
}

export async function readRunHistory(runnerDir: string): Promise<FinishedRun[]> {
  try {
    const parsed = JSON.parse(await readFile(join(runnerDir, HISTORY_FILE), "utf8")) as unknown;
    return Array.isArray(parsed) ? (parsed as FinishedRun[]) : [];
  } catch {
    return [];
  }
}
