import type { ApprovalDecision } from "./approval.js";

/**
 * The step a reconcile takes once the desired configuration is known, from
 * the approval decision, the pending plan (if any) and whether the plan
 * inputs (configuration, state, drift check) call for Terraform at all.
 */
export type NextStep =
  /** Apply the kept plan file: still current, and approved or let through by the apply policy now. */
  | { kind: "apply-pending"; id: string; by: "approval" | "policy" }
  /** A held plan is still current and unapproved: run no Terraform. */
  | { kind: "wait"; id: string }
  /** Make a new plan (then decideByPolicy). */
  | { kind: "plan"; why: string }
  /** Nothing to do. */
  | { kind: "idle"; why: string };

export interface NextStepInput {
  approval: ApprovalDecision;
  /** The held plan's id, when one is kept. */
  pendingId: string | undefined;
  /** planId() of the configuration and state now. */
  currentId: string;
  /** shouldPlan's verdict: configuration changed since the last apply, or a drift check is due. */
  planWanted: { ok: boolean; reason: string };
  /**
   * The apply policy as it is now would apply the held plan (heldPlanDecision):
   * a switch from manual to auto is acted on at once, like an approval.
   */
  policyApplies?: boolean;
}

export function decideNextStep(input: NextStepInput): NextStep {
  const { approval, pendingId, currentId } = input;
  if (approval.kind === "approved") return { kind: "apply-pending", id: approval.id, by: "approval" };
  if (pendingId !== undefined) {
    if (pendingId === currentId) {
      if (input.policyApplies) return { kind: "apply-pending", id: pendingId, by: "policy" };
      return { kind: "wait", id: pendingId };
    }
    return { kind: "plan", why: `the held plan ${pendingId} is out of date (spec or state changed)` };
  }
  if (input.planWanted.ok) return { kind: "plan", why: input.planWanted.reason };
  return { kind: "idle", why: input.planWanted.reason };
}
