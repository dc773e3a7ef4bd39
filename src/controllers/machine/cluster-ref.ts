import { CLUSTER_LABEL_PATH } from "../../api/cluster-label.js";
import { ConditionType, findCondition, setCondition } from "../../api/conditions.js";
import { CLUSTER_NAME_LABEL, type Condition } from "../../api/meta.js";
import { Reason } from "../../api/reasons.js";

interface MachineLike {
  metadata: { name?: string; namespace?: string; labels?: Record<string, string> };
}

/**
 * What is wrong with the Cluster a Machine names, or undefined when it names
 * one that exists. `clusterExists` is only asked when the label is there.
 */
export function clusterRefProblem(
  machine: MachineLike,
  clusterExists: (namespace: string, name: string) => boolean,
): string | undefined {
  const namespace = machine.metadata.namespace ?? "default";
  const label = `Machine ${namespace}/${machine.metadata.name ?? ""}: ${CLUSTER_LABEL_PATH}`;
  const cluster = machine.metadata.labels?.[CLUSTER_NAME_LABEL]?.trim();
  if (!cluster) {
    return `${label}: required: the Machine names no Cluster, so no controller provisions it; label it with its Cluster (kubectl label machine ${machine.metadata.name ?? ""} ${CLUSTER_NAME_LABEL}=<cluster>)`;
  }
  if (clusterExists(namespace, cluster)) return undefined;
  return `${label}: Cluster ${namespace}/${cluster} not found, so no controller provisions the Machine; create that Cluster or label the Machine with an existing one`;
}

export interface ClusterRefUpdate {
  conditions: Condition[];
  event: { type: "Normal" | "Warning"; reason: string; message: string };
}

/**
 * The Machine's conditions for the verdict, with the Event to emit, or
 * undefined when its status already says so: one Event per verdict, not per
 * pass. A Machine whose Cluster appears gets Ready=Unknown (ClusterFound)
 * until the cluster controller writes its own status.
 */
export function clusterRefUpdate(
  conditions: readonly Condition[] | undefined,
  problem: string | undefined,
  clusterName: string | undefined,
  now: Date,
): ClusterRefUpdate | undefined {
  const ready = findCondition(conditions, ConditionType.Ready);
  const reported = ready?.reason === Reason.ClusterNotFound;
  if (problem !== undefined) {
    if (reported && ready?.status === "False" && ready.message === problem) return undefined;
    return {
      conditions: setCondition(
        conditions,
        {
          type: ConditionType.Ready,
          status: "False",
          reason: Reason.ClusterNotFound,
          message: problem,
        },
        now,
      ),
      event: { type: "Warning", reason: Reason.ClusterNotFound, message: problem },
    };
  }
  if (!reported) return undefined;
  const message = `Cluster ${clusterName ?? ""} found: the cluster controller provisions the Machine`;
  return {
    conditions: setCondition(
      conditions,
      { type: ConditionType.Ready, status: "Unknown", reason: Reason.ClusterFound, message },
      now,
    ),
    event: { type: "Normal", reason: Reason.ClusterFound, message },
  };
}
