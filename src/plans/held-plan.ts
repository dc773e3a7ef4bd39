import type { PlanSummary, ResourceChangeRef } from "../terraform/types.js";
import { type AdoptedInstanceChange, adoptedInstancesHold } from "./adopted-guard.js";
import { decideByPolicy, type GateDecision, type ResolvedPolicy } from "./apply-policy.js";
import { applyGuards, type GuardHold } from "./guards.js";

/** What is kept of a held plan that the apply policy can judge again. */
export interface HeldPlanFacts {
  add: number;
  change: number;
  destroy: number;
  replace: number;
  changes?: readonly ResourceChangeRef[];
  /** Adopted instances the plan destroys: these keep it held under every policy. */
  adopted?: readonly AdoptedInstanceChange[];
  /** What the guards held it for (src/plans/guards.ts); records written before guards had only `adopted`. */
  holds?: readonly GuardHold[];
}

/** The guards' holds of a held plan. */
export function heldPlanHolds(held: Pick<HeldPlanFacts, "adopted" | "holds">): GuardHold[] {
  if (held.holds) return [...held.holds];
  const adopted = adoptedInstancesHold(held.adopted ?? []);
  return adopted ? [adopted] : [];
}

/**
 * The apply policy's verdict on a plan already held, as if it had just been
 * made: a policy changed since (manual -> auto) is acted on at the next pass
 * instead of waiting for a new plan that an unchanged configuration never
 * makes. The guards still hold what they held.
 */
export function heldPlanDecision(policy: ResolvedPolicy, held: HeldPlanFacts): GateDecision {
  return applyGuards(decideByPolicy(policy, heldPlanSummary(held)), policy, heldPlanHolds(held));
}

/** The summary a held plan's record keeps (counts and changes; its drift was reported when it was made). */
export function heldPlanSummary(held: HeldPlanFacts): PlanSummary {
  return {
    add: held.add,
    change: held.change,
    destroy: held.destroy,
    replace: held.replace,
    import: 0,
    hasChanges: true,
    changes: [...(held.changes ?? [])],
    drift: [],
    outputChanges: {},
  };
}
