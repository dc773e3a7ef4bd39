import type { RedactedResourceChange, ResourceChangeRef } from "../terraform/types.js";
import type { GuardHold } from "./guards.js";

/**
 * An adopted instance belongs to someone else first: a plan that would
 * destroy it (a replacement forced by a differing subnet or AMI, or a
 * delete) is held under every apply policy and applied only once that plan's
 * id is approved. Pure: the callers find the adopted Machines and the plan.
 */

/** A Machine that adopts an existing instance (annotation clusterform.io/adopt-instance-id). */
export interface AdoptedInstance {
  machine: string;
  instanceId: string;
  /** The instance's Terraform address (stacks' instanceAddress). */
  address: string;
}

/** A planned change that would destroy an adopted instance. */
export interface AdoptedInstanceChange extends AdoptedInstance {
  action: "replace" | "delete";
  /** The attributes that force the replacement (plan JSON `replace_paths`); empty when not known. */
  forcedBy: string[];
  /** Terraform's reason (`cannot_update`, `requested`, ...), when it gave one. */
  reason?: string;
}

/** The planned replacements and deletes of adopted instances, in the plan's order. */
export function adoptedInstanceChanges(
  adopted: readonly AdoptedInstance[],
  changes: readonly ResourceChangeRef[],
): AdoptedInstanceChange[] {
  const byAddress = new Map(adopted.map((a) => [a.address, a]));
  const found: AdoptedInstanceChange[] = [];
  for (const change of changes) {
    const instance = byAddress.get(change.address);
    if (!instance || (change.action !== "replace" && change.action !== "delete")) continue;
    found.push({
      ...instance,
      action: change.action,
      forcedBy: [],
      ...(change.reason ? { reason: change.reason } : {}),
    });
  }
  return found;
}

/** Adds the forcing attributes from `terraform show -json` (resource_changes[].change.replace_paths). */
export function withForcingAttributes(
  changes: readonly AdoptedInstanceChange[],
  details: readonly RedactedResourceChange[],
): AdoptedInstanceChange[] {
  const byAddress = new Map(details.map((d) => [d.address, d]));
  return changes.map((change) => {
    const detail = byAddress.get(change.address);
    const forcedBy = detail?.replacePaths ?? change.forcedBy;
    const reason = change.reason ?? detail?.actionReason;
    return { ...change, forcedBy, ...(reason ? { reason } : {}) };
  });
}

/** One change for people: `replaces adopted instance i-0abc (Machine legacy-0): subnet_id forces replacement`. */
export function describeAdoptedChange(change: AdoptedInstanceChange): string {
  const what = `adopted instance ${change.instanceId} (Machine ${change.machine})`;
  if (change.action === "delete") return `deletes ${what}`;
  const cause =
    change.forcedBy.length > 0
      ? `${change.forcedBy.join(", ")} ${change.forcedBy.length === 1 ? "forces" : "force"} replacement`
      : `Terraform must replace it${change.reason ? ` (${change.reason})` : ""}`;
  return `replaces ${what}: ${cause}`;
}

/** Why the plan is held, for status.plan.heldBecause, the PlanPending message and the Event. */
export function describeAdoptedChanges(changes: readonly AdoptedInstanceChange[]): string {
  const list = changes.map(describeAdoptedChange);
  const shown =
    list.length <= 5 ? list.join("; ") : `${list.slice(0, 5).join("; ")} and ${list.length - 5} more`;
  return `the plan ${shown}; a plan that destroys an adopted instance is held under every apply policy until its id is approved (or change the Machine to match the instance)`;
}

/** The adopted-instance guard's hold (src/plans/guards.ts), or undefined when no adopted instance is destroyed. */
export function adoptedInstancesHold(changes: readonly AdoptedInstanceChange[]): GuardHold | undefined {
  if (changes.length === 0) return undefined;
  return { guard: "adopted-instance", reason: describeAdoptedChanges(changes) };
}
