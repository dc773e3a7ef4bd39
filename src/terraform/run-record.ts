import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunRecord } from "./types.js";

/**
 * `.runner/run.json` names the Terraform process working in a directory. It
 * outlives a crash of its owner, so a restarted runner can find the abandoned
 * run (its process group keeps going) and wait for it before planning again.
 */

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
