import { type ConditionInput, ConditionType } from "../api/conditions.js";
import { Reason } from "../api/reasons.js";
import type { BootstrapObservationForStatus } from "./observations.js";

/**
 * The Cluster's Bootstrap condition: True when every Machine has kubeadm
 * bootstrap data (reason BootstrapWarnings when something needs a person's
 * eye, e.g. vSphere's endpoint fallback) or when there is no Machine to
 * bootstrap (none yet, or only adopted instances), False when the Cluster
 * opted out or has no control-plane Machine (then nothing is planned).
 */
export function bootstrapCondition(observed: BootstrapObservationForStatus): ConditionInput {
  const type = ConditionType.Bootstrap;
  switch (observed.state) {
    case "disabled":
      return {
        type,
        status: "False",
        reason: Reason.BootstrapDisabled,
        message: "clusterform.io/bootstrap is disabled: Machines are bare instances",
      };
    case "none":
      return {
        type,
        status: "True",
        reason: Reason.NothingToBootstrap,
        message:
          "no Machine to bootstrap yet (none, or only adopted instances): the network alone is planned",
      };
    case "no-control-plane":
      return { type, status: "False", reason: Reason.NoControlPlane, message: observed.message ?? "" };
    case "ready":
      return observed.warnings.length > 0
        ? { type, status: "True", reason: Reason.BootstrapWarnings, message: observed.warnings.join("; ") }
        : {
            type,
            status: "True",
            reason: Reason.BootstrapDataReady,
            message: "every Machine has kubeadm bootstrap data",
          };
  }
}
