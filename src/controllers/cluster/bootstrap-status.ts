import type { ClusterStatus } from "../../api/cluster.js";
import { type ConditionInput, ConditionType, setCondition } from "../../api/conditions.js";
import type { ClusterScope } from "./scope.js";

/** Reasons of the Cluster's Bootstrap condition (stable: tools match on them). */
export const BootstrapReason = {
  Ready: "BootstrapDataReady",
  Warnings: "BootstrapWarnings",
  Disabled: "BootstrapDisabled",
  NoControlPlane: "NoControlPlane",
} as const;

/** The Bootstrap condition this pass's step implies; undefined when the step did not run or failed validation. */
export function bootstrapCondition(scope: Pick<ClusterScope, "bootstrap">): ConditionInput | undefined {
  const observed = scope.bootstrap;
  const type = ConditionType.Bootstrap;
  switch (observed?.state) {
    case undefined:
    case "invalid":
      return undefined;
    case "disabled":
      return {
        type,
        status: "False",
        reason: BootstrapReason.Disabled,
        message: "clusterform.io/bootstrap is disabled: Machines are bare instances",
      };
    case "no-control-plane":
      return {
        type,
        status: "False",
        reason: BootstrapReason.NoControlPlane,
        message: observed.message ?? "",
      };
    case "ready":
      return observed.warnings.length > 0
        ? { type, status: "True", reason: BootstrapReason.Warnings, message: observed.warnings.join("; ") }
        : {
            type,
            status: "True",
            reason: BootstrapReason.Ready,
            message: "every Machine has kubeadm bootstrap data",
          };
  }
}

export function withBootstrapCondition(
  status: ClusterStatus,
  scope: Pick<ClusterScope, "bootstrap">,
  now: Date,
): ClusterStatus {
  const condition = bootstrapCondition(scope);
  return condition ? { ...status, conditions: setCondition(status.conditions, condition, now) } : status;
}
