import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { AdoptedInstanceChange } from "../../plans/adopted-guard.js";
import type { PendingPlan } from "../../plans/approval.js";
import type { GuardHold } from "../../plans/guards.js";
import type { ResourceChangeRef } from "../../terraform/types.js";
import { writeJsonAtomic } from "../../util/atomic-write.js";

/**
 * The held plan, kept beside the state (`pending-plan.json`) with its plan
 * file, so that an approval applies exactly the file that was reviewed. Lost
 * with the state directory, like the applied record: then the next pass
 * plans again and holds the new plan.
 */
export interface PendingPlanRecord extends PendingPlan {
  planFile: string;
  generatedAt: string;
  add: number;
  change: number;
  destroy: number;
  replace: number;
  /** When a shared backend's state was last read to see whether it moved under this plan. */
  stateCheckedAt?: string;
  /** The planned changes (addresses and actions), for Machine conditions while it waits. */
  changes?: ResourceChangeRef[];
  /** Adopted instances the plan destroys: it stays held under every policy until approved. */
  adopted?: AdoptedInstanceChange[];
  /** Why the guards hold it under every policy (adopted instances, the only control plane). */
  holds?: GuardHold[];
}

export const PENDING_PLAN_FILE = "pending-plan.json";

export async function readPendingPlan(workDir: string): Promise<PendingPlanRecord | undefined> {
  const text = await readFile(join(workDir, PENDING_PLAN_FILE), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const record = JSON.parse(text) as Partial<PendingPlanRecord>;
    if (typeof record.id !== "string" || typeof record.planFile !== "string") return undefined;
    // Without its plan file there is nothing to apply: plan again.
    const present = await readFile(record.planFile).then(
      () => true,
      () => false,
    );
    return present ? (record as PendingPlanRecord) : undefined;
  } catch {
    return undefined;
  }
}

export async function writePendingPlan(workDir: string, record: PendingPlanRecord): Promise<void> {
  await mkdir(workDir, { recursive: true });
  const file = join(workDir, PENDING_PLAN_FILE);
  await writeJsonAtomic(file, record, { mode: 0o600 });
}

export async function removePendingPlan(workDir: string): Promise<void> {
  await rm(join(workDir, PENDING_PLAN_FILE), { force: true });
}
