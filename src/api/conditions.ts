import type { Condition } from "./meta.js";

/** Condition types the project owns. */
export const ConditionType = {
  Ready: "Ready",
  InfrastructureReady: "InfrastructureReady",
  PlanPending: "PlanPending",
  Drifted: "Drifted",
  StateLocked: "StateLocked",
  /** Whether the Cluster's Machines get kubeadm bootstrap data (False: disabled, or no control plane). */
  Bootstrap: "Bootstrap",
  /** Machine: its Node's Ready condition, read from the workload cluster (docs/workload.md). */
  NodeHealthy: "NodeHealthy",
  /** Cluster: the workload API answered the last list/watch of Nodes. */
  WorkloadAPIReachable: "WorkloadAPIReachable",
  /** Cluster: the init machine's Node has registered. */
  ControlPlaneInitialized: "ControlPlaneInitialized",
  /** Cluster: every control-plane Machine's Node is Ready. */
  ControlPlaneReady: "ControlPlaneReady",
} as const;

export type ConditionStatus = "True" | "False" | "Unknown";

export interface ConditionInput {
  type: string;
  status: ConditionStatus;
  reason: string;
  message?: string;
  observedGeneration?: number;
}

/**
 * Sets one condition, returning a new list. lastTransitionTime moves only
 * when the condition's status changes (the Kubernetes API conventions and
 * apimachinery's meta.SetStatusCondition, which Cluster API follows): a new
 * reason or message on the same status is not a transition, so re-setting a
 * condition on every pass never looks like one, and "Ready for N seconds"
 * (minReadySeconds) counts from when it really became Ready.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  now: Date,
): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === input.type);
  const previous = index >= 0 ? list[index] : undefined;
  const unchanged = previous !== undefined && previous.status === input.status;
  const next: Condition = {
    type: input.type,
    status: input.status,
    reason: input.reason,
    ...(input.message ? { message: input.message } : {}),
    lastTransitionTime:
      unchanged && previous.lastTransitionTime ? previous.lastTransitionTime : now.toISOString(),
    ...(input.observedGeneration !== undefined ? { observedGeneration: input.observedGeneration } : {}),
  };
  if (index >= 0) list[index] = next;
  else list.push(next);
  return list;
}

export function setConditions(
  conditions: readonly Condition[] | undefined,
  inputs: readonly ConditionInput[],
  now: Date,
): Condition[] {
  return inputs.reduce<Condition[]>((list, input) => setCondition(list, input, now), [...(conditions ?? [])]);
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
