import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { RawOutput } from "../../status/outputs.js";
import type { OutputValue } from "../../terraform/types.js";
import { writeJsonAtomic } from "../../util/atomic-write.js";

/**
 * What the last successful apply left behind, kept beside the Terraform state
 * in the cluster's working directory (`applied.json`). Beside the state, not
 * in an annotation: if the state directory is lost, the record goes with it
 * and the next pass plans again instead of trusting a hash about state that
 * no longer exists.
 */
export interface AppliedRecord {
  /** sha256 of the cdk.tf.json bytes that were applied. */
  configHash: string;
  provider: "aws" | "vsphere";
  /** Outputs after that apply; sensitive values are never written here (only flagged). */
  outputs: Record<string, RawOutput>;
  appliedAt: string;
  /**
   * Set when an apply of this config hash began after the record was written
   * and has not succeeded yet (it failed, was cancelled, or the process
   * died). Terraform may have created or destroyed resources in the
   * meantime, so the record no longer describes the state: the next pass
   * plans, and no Machine is released on the strength of this record.
   */
  applyStartedFor?: string;
}

export const APPLIED_RECORD_FILE = "applied.json";

export async function readAppliedRecord(workDir: string): Promise<AppliedRecord | undefined> {
  const text = await readFile(join(workDir, APPLIED_RECORD_FILE), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<AppliedRecord>;
    const provider = parsed.provider === "aws" || parsed.provider === "vsphere";
    if (
      typeof parsed.configHash !== "string" ||
      !provider ||
      typeof parsed.outputs !== "object" ||
      !parsed.outputs ||
      (parsed.applyStartedFor !== undefined && typeof parsed.applyStartedFor !== "string")
    )
      return undefined;
    return parsed as AppliedRecord;
  } catch {
    // A torn or hand-edited record only costs one plan.
    return undefined;
  }
}

export async function writeAppliedRecord(workDir: string, record: AppliedRecord): Promise<void> {
  await mkdir(workDir, { recursive: true });
  const file = join(workDir, APPLIED_RECORD_FILE);
  await writeJsonAtomic(file, record, { mode: 0o600 });
}

/**
 * Whether the last apply left the state exactly as `configHash` describes:
 * the record is of that configuration and no apply began since. Only then
 * may a pass skip Terraform, or release a deleted Machine whose instance
 * that configuration no longer has.
 */
export function appliedAsConfigured(record: AppliedRecord | undefined, configHash: string): boolean {
  return record !== undefined && record.applyStartedFor === undefined && record.configHash === configHash;
}

/**
 * Written just before Terraform applies: from here until a successful apply
 * rewrites the record, the state may hold instances the record does not
 * know about (an apply that created some and then failed). Without this, a
 * Machine deleted after such a failure would have its finalizer released as
 * soon as the remaining Machines hashed back to the recorded configuration,
 * and the instance the failed apply created would keep running, tracked by
 * no Machine.
 */
export async function markApplyStarted(
  workDir: string,
  record: AppliedRecord | undefined,
  configHash: string,
): Promise<AppliedRecord | undefined> {
  if (!record) return undefined;
  const marked = { ...record, applyStartedFor: configHash };
  await writeAppliedRecord(workDir, marked);
  return marked;
}

export async function removeAppliedRecord(workDir: string): Promise<void> {
  await rm(join(workDir, APPLIED_RECORD_FILE), { force: true });
}

/** Outputs fit for the record: sensitive values dropped, the flag kept. */
export function recordableOutputs(outputs: Record<string, OutputValue>): Record<string, RawOutput> {
  const result: Record<string, RawOutput> = {};
  for (const [name, output] of Object.entries(outputs)) {
    result[name] = output.sensitive
      ? { sensitive: true, type: output.type }
      : { value: output.value, sensitive: false, type: output.type };
  }
  return result;
}
