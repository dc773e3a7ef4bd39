import type { ClusterStatus } from "../../api/cluster.js";
import { ConditionType, setCondition } from "../../api/conditions.js";
import type { MachineStatus } from "../../api/machine.js";
import type { ClusterScope } from "./scope.js";

/** Condition reasons of plan approval and drift (stable: tools match on them). */
export const PlanReason = {
  AwaitingApproval: "AwaitingApproval",
  PlanOnly: "PlanOnly",
  PlanApplied: "PlanApplied",
  AppliedOutside: "AppliedOutside",
  NoChanges: "NoChanges",
  Replacement: "InstanceReplacement",
  DriftDetected: "DriftDetected",
  DriftCorrected: "DriftCorrected",
  NoDrift: "NoDrift",
} as const;

/** PlanPending and Drifted on the Cluster, from what this pass learned (untouched when it learned nothing). */
export function withPlanConditions(status: ClusterStatus, scope: ClusterScope, now: Date): ClusterStatus {
  let conditions = status.conditions;
  const held = scope.planPending;
  if (held) {
    conditions = setCondition(
      conditions,
      {
        type: ConditionType.PlanPending,
        status: "True",
        reason: held.policy === "plan-only" ? PlanReason.PlanOnly : PlanReason.AwaitingApproval,
        message: held.message,
      },
      now,
    );
  } else if (scope.plan?.state === "Applied") {
    conditions = setCondition(conditions, appliedCondition(scope.plan), now);
  }
  const drift = scope.drift;
  if (drift) {
    conditions = setCondition(
      conditions,
      {
        type: ConditionType.Drifted,
        status: drift.drifted ? "True" : "False",
        reason: drift.reason,
        message: drift.message,
      },
      now,
    );
  }
  return {
    ...status,
    ...(conditions ? { conditions } : {}),
    ...(drift ? { lastDriftCheck: drift.checkedAt } : {}),
  };
}

function appliedCondition(plan: NonNullable<ClusterScope["plan"]>) {
  const base = { type: ConditionType.PlanPending, status: "False" as const };
  if (plan.appliedBy === "external")
    return {
      ...base,
      reason: PlanReason.AppliedOutside,
      message: `plan ${plan.id} was applied outside clusterform (the shared state shows it)`,
    };
  if (plan.add + plan.change + plan.destroy > 0)
    return { ...base, reason: PlanReason.PlanApplied, message: `plan ${plan.id} applied` };
  return { ...base, reason: PlanReason.NoChanges, message: "the infrastructure matches the configuration" };
}

/**
 * A Machine the held plan touches says so: PlanPending=True with what will
 * happen (replacements flagged with their cause), and a Machine still to be
 * created stays Pending with Ready=False for that reason.
 */
export function withMachinePlanConditions(
  name: string,
  status: MachineStatus,
  scope: ClusterScope,
  now: Date,
): MachineStatus {
  const note = scope.planPending?.notes.get(name);
  let conditions = status.conditions;
  if (note) {
    const reason = note.action === "replace" ? PlanReason.Replacement : PlanReason.AwaitingApproval;
    conditions = setCondition(
      conditions,
      { type: ConditionType.PlanPending, status: "True", reason, message: note.message },
      now,
    );
    if (note.action === "create") {
      conditions = setCondition(
        conditions,
        {
          type: ConditionType.Ready,
          status: "False",
          reason: ConditionType.PlanPending,
          message: note.message,
        },
        now,
      );
    }
  } else if (conditions?.some((c) => c.type === ConditionType.PlanPending && c.status === "True")) {
    conditions = setCondition(
      conditions,
      { type: ConditionType.PlanPending, status: "False", reason: PlanReason.PlanApplied },
      now,
    );
  }
  return { ...status, ...(conditions ? { conditions } : {}) };
}
