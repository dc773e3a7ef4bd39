import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { clusterWorkDir } from "../converge/options.js";
import type { ClusterModel } from "../model/types.js";
import { writeJsonAtomic } from "../util/atomic-write.js";

/**
 * File mode cannot see a Machine that left the manifests, so the CLI keeps a
 * small record in the cluster's working directory: the Machines annotated
 * `clusterform.io/on-delete: orphan` as of the last successful apply. A
 * recorded Machine missing from the files is forgotten by Terraform (a
 * `removed` block) instead of destroyed; the record is rewritten only after
 * an apply succeeded, so a failed apply keeps the forget pending.
 */
export const ORPHAN_RECORD = "clusterform-orphans.json";

interface OrphanRecord {
  /** Machines whose instances must never be destroyed by clusterform. */
  orphanOnDelete: string[];
}

/** The model with `orphanedMachines` set from the record (recorded orphans no longer in the files). */
export async function withRecordedOrphans(model: ClusterModel, stateDir: string): Promise<ClusterModel> {
  const recorded = await readRecord(clusterWorkDir(stateDir, model));
  const present = new Set(model.machines.map((m) => m.name));
  const gone = recorded.filter((name) => !present.has(name));
  return gone.length ? { ...model, orphanedMachines: gone } : model;
}

/** After a successful apply: the Machines to protect from now on (forgotten ones are done). */
export async function recordOrphans(model: ClusterModel, stateDir: string): Promise<void> {
  const dir = clusterWorkDir(stateDir, model);
  const orphanOnDelete = model.machines.filter((m) => m.onDelete === "orphan").map((m) => m.name);
  const previous = await readRecord(dir);
  if (previous.join("\n") === orphanOnDelete.join("\n")) return;
  await mkdir(dir, { recursive: true });
  const record: OrphanRecord = { orphanOnDelete };
  await writeJsonAtomic(join(dir, ORPHAN_RECORD), record);
}

async function readRecord(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, ORPHAN_RECORD), "utf8").catch(() => undefined);
  if (text === undefined) return [];
  try {
    const names = (JSON.parse(text) as Partial<OrphanRecord>).orphanOnDelete;
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === "string") : [];
  } catch {
    throw new Error(
      `${join(dir, ORPHAN_RECORD)} is not valid JSON: fix it or delete it (its Machines would then be destroyed, not forgotten, when they leave the files)`,
    );
  }
}
