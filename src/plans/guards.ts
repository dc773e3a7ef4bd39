import type { GateDecision, ResolvedPolicy } from "./apply-policy.js";

/**
 * A guard holds a plan whatever the apply policy says, because applying it
 * would lose something Terraform cannot bring back (an adopted instance that
 * belongs to someone else first, the only control plane and its etcd). The
 * plan is applied only once its id is approved (controller) or with the
 * guard's flag (file mode, unattended).
 */
export type GuardName = "adopted-instance" | "single-control-plane";

export interface GuardHold {
  guard: GuardName;
  /** Why, for status.plan.heldBecause, the PlanPending message, Events and the CLI's warning. */
  reason: string;
}

/**
 * The policy's decision, overridden when a guard holds the plan: held under
 * auto, auto-additive and manual; plan-only never applies anyway, and says why.
 */
export function applyGuards(
  decision: GateDecision,
  policy: ResolvedPolicy,
  holds: readonly GuardHold[],
): GateDecision {
  if (holds.length === 0) return decision;
  const reason = describeHolds(holds);
  if (policy.policy === "plan-only") return { action: "none", reason };
  return { action: "hold", reason };
}

/** Every guard's reason, in one line. */
export function describeHolds(holds: readonly GuardHold[]): string {
  return holds.map((hold) => hold.reason).join("; ");
}
