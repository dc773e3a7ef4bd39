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
      !parsed.outputs
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
