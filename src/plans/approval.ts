/**
 * Approval by plan id: `clusterform.io/approve-plan=<id>` applies the pending
 * plan only when the id is the pending plan's and that plan is still what the
 * configuration and state would give now. Anything else never applies.
 */

export const APPROVE_PLAN_ANNOTATION = "clusterform.io/approve-plan";

/** What the controller kept of a held plan (beside its plan file). */
export interface PendingPlan {
  id: string;
  configHash: string;
  /** stateFingerprint() of the state the plan was made against. */
  stateFingerprint: string;
}

/** The plan that would be made now, without running Terraform. */
export interface CurrentInputs {
  configHash: string;
  stateFingerprint: string;
}

export type ApprovalDecision =
  /** No approval to act on (none given, or it names the plan already applied). */
  | { kind: "none" }
  /** Apply the kept plan file: it is exactly the plan that was reviewed. */
  | { kind: "approved"; id: string }
  /** The approved plan no longer matches the spec or state: plan again and hold. */
  | { kind: "stale"; id: string; message: string }
  /** The approval names no pending plan: do nothing but say so. */
  | { kind: "ignored"; id: string; message: string };

export interface ApprovalInput {
  annotations: Record<string, string> | undefined;
  pending: PendingPlan | undefined;
  current: CurrentInputs;
  lastAppliedPlan?: string | undefined;
  /** `namespace/name`, for messages that give the next command. */
  clusterLabel: string;
}

export function decideApproval(input: ApprovalInput): ApprovalDecision {
  const id = input.annotations?.[APPROVE_PLAN_ANNOTATION]?.trim();
  if (!id) return { kind: "none" };
  if (id === input.lastAppliedPlan) return { kind: "none" };
  const { pending, current } = input;
  if (!pending) {
    return {
      kind: "ignored",
      id,
      message: `approval of plan ${id} ignored: ${input.clusterLabel} has no pending plan`,
    };
  }
  if (id !== pending.id) {
    return {
      kind: "ignored",
      id,
      message: `approval of plan ${id} ignored: the pending plan of ${input.clusterLabel} is ${pending.id}; review it with "clusterform plan show ${input.clusterLabel}" and approve that id`,
    };
  }
  const moved = movedSincePlan(pending, current);
  if (moved.length > 0) {
    return {
      kind: "stale",
      id,
      message: `approval of plan ${id} not applied: the ${moved.join(" and the ")} changed since it was planned; a new plan is made and held for review`,
    };
  }
  return { kind: "approved", id };
}

function movedSincePlan(pending: PendingPlan, current: CurrentInputs): string[] {
  const moved: string[] = [];
  if (pending.configHash !== current.configHash) moved.push("spec (synthesized configuration)");
  if (pending.stateFingerprint !== current.stateFingerprint) moved.push("Terraform state");
  return moved;
}

/** The command a reviewer runs to approve, for the PlanPending condition and Events. */
export function approveCommand(namespace: string, name: string, id: string): string {
  const ns = namespace && namespace !== "default" ? ` -n ${namespace}` : "";
  return `kubectl annotate cluster ${name}${ns} ${APPROVE_PLAN_ANNOTATION}=${id} --overwrite`;
}
