import type { PlanSummary } from "../terraform/types.js";
import { type AdoptedInstanceChange, describeAdoptedChange } from "./adopted-guard.js";

/** What a plan does to one Machine's instance, for its status while the plan waits. */
export interface MachinePlanNote {
  action: "create" | "replace" | "delete" | "update";
  /** Terraform's reason for a replacement (`cannot_update`: a forcing change like a new AMI). */
  reason?: string;
  message: string;
}

/**
 * The plan's changes to each Machine's instance, keyed by Machine name.
 * `addressOf` maps a Machine to its instance's Terraform address (stacks'
 * machineResourceAddress); Machines the plan leaves alone are absent.
 */
export function machinePlanNotes(
  machineNames: readonly string[],
  addressOf: (machineName: string) => string,
  summary: PlanSummary,
  planId: string,
  /** Adopted instances the plan destroys: their Machines say what forces it and that it is held. */
  adopted: readonly AdoptedInstanceChange[] = [],
): Map<string, MachinePlanNote> {
  const byAddress = new Map(summary.changes.map((c) => [c.address, c]));
  const adoptedByMachine = new Map(adopted.map((a) => [a.machine, a]));
  const notes = new Map<string, MachinePlanNote>();
  for (const name of machineNames) {
    const change = byAddress.get(addressOf(name));
    if (!change) continue;
    const guarded = adoptedByMachine.get(name);
    if (guarded) {
      notes.set(name, {
        action: guarded.action,
        ...(change.reason ? { reason: change.reason } : {}),
        message: `plan ${planId} ${describeAdoptedChange(guarded)}; held under every apply policy until plan ${planId} is approved (or change the Machine to match the instance)`,
      });
      continue;
    }
    switch (change.action) {
      case "create":
        notes.set(name, {
          action: "create",
          message: `waits for plan ${planId} to be approved before its instance is created`,
        });
        break;
      case "replace":
        notes.set(name, {
          action: "replace",
          ...(change.reason ? { reason: change.reason } : {}),
          message: `plan ${planId} replaces its instance (${describeReplaceReason(change.reason)}): destroyed and created anew once approved`,
        });
        break;
      case "delete":
        notes.set(name, { action: "delete", message: `plan ${planId} deletes its instance once approved` });
        break;
      case "update":
        notes.set(name, {
          action: "update",
          message: `plan ${planId} updates its instance in place once approved`,
        });
        break;
      default:
        break;
    }
  }
  return notes;
}

function describeReplaceReason(reason: string | undefined): string {
  switch (reason) {
    case "cannot_update":
      return "a changed attribute forces replacement, e.g. a new AMI";
    case "requested":
      return "replacement was requested";
    case "tainted":
      return "the instance is tainted";
    default:
      return reason ?? "Terraform must replace it";
  }
}
