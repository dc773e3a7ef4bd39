import type { Cluster, ClusterStatus } from "../api/cluster.js";
import { type ConditionInput, ConditionType, findCondition, setConditions } from "../api/conditions.js";
import type { Machine, MachineStatus } from "../api/machine.js";
import type { ObservedError } from "./machine-status.js";
import { clusterWorkloadConditions } from "./node-status.js";
import type { ClusterObservation } from "./outputs.js";
import { deriveClusterPhase } from "./phase.js";
import { Reason } from "./reasons.js";
import type { WorkloadObservation } from "./workload.js";

export interface ClusterStatusInputs {
  cluster: Cluster;
  observation?: ClusterObservation;
  /** Non-sensitive outputs (status.outputs). */
  outputs?: Record<string, string>;
  machineStatuses: readonly { name: string; status: MachineStatus }[];
  /** The Machines themselves (roles, init machine) when the workload API is read. */
  machines?: readonly Machine[];
  workload?: WorkloadObservation;
  provisioning: boolean;
  error?: ObservedError;
  now: Date;
}

export function computeClusterStatus(inputs: ClusterStatusInputs): ClusterStatus {
  const { cluster, observation, machineStatuses, error, now } = inputs;
  const previous = cluster.status ?? {};
  const terminal = error?.terminal ? error : undefined;
  const infrastructureReady = Boolean(observation?.infrastructureReady);
  const notReady = machineStatuses.filter(
    (m) => findCondition(m.status.conditions, ConditionType.Ready)?.status !== "True",
  );
  const generation = cluster.metadata.generation;
  const withGeneration = generation !== undefined ? { observedGeneration: generation } : {};
  const conditions = setConditions(
    previous.conditions,
    [
      {
        type: ConditionType.InfrastructureReady,
        ...(error
          ? { status: "False" as const, reason: error.reason, message: error.message }
          : infrastructureReady
            ? { status: "True" as const, reason: Reason.InfrastructureProvisioned }
            : { status: "False" as const, reason: Reason.WaitingForInfrastructure }),
        ...withGeneration,
      },
      {
        type: ConditionType.Ready,
        ...readyCondition(infrastructureReady, notReady, error),
        ...withGeneration,
      },
      // Plan approval and drift checks own these two; until they run, say so.
      ...defaultIfAbsent(previous.conditions, {
        type: ConditionType.PlanPending,
        status: "False",
        reason: Reason.NoPlanPending,
        ...withGeneration,
      }),
      ...defaultIfAbsent(previous.conditions, {
        type: ConditionType.Drifted,
        status: "Unknown",
        reason: Reason.DriftNotChecked,
        ...withGeneration,
      }),
      ...clusterWorkloadConditions(cluster, withStatuses(inputs), inputs.workload),
    ],
    now,
  );
  return {
    ...(observation?.apiEndpoint ? { apiEndpoints: [observation.apiEndpoint] } : {}),
    ...(observation && Object.keys(observation.providerStatus).length > 0
      ? { providerStatus: observation.providerStatus }
      : {}),
    phase: deriveClusterPhase({
      deleting: Boolean(cluster.metadata.deletionTimestamp),
      ...(terminal ? { errorReason: terminal.reason } : {}),
      infrastructureReady,
      provisioning: inputs.provisioning,
    }),
    ...(terminal ? { errorReason: terminal.reason, errorMessage: terminal.message } : {}),
    conditions,
    ...(inputs.outputs && Object.keys(inputs.outputs).length > 0 ? { outputs: inputs.outputs } : {}),
    ...(previous.plan ? { plan: previous.plan } : {}),
    ...(previous.lastAppliedPlan ? { lastAppliedPlan: previous.lastAppliedPlan } : {}),
    ...(previous.lastDriftCheck ? { lastDriftCheck: previous.lastDriftCheck } : {}),
    ...(error
      ? previous.observedGeneration !== undefined
        ? { observedGeneration: previous.observedGeneration }
        : {}
      : withGeneration),
  };
}

function readyCondition(
  infrastructureReady: boolean,
  notReady: readonly { name: string }[],
  error: ObservedError | undefined,
): { status: "True" | "False"; reason: string; message?: string } {
  if (error) return { status: "False", reason: error.reason, message: error.message };
  if (!infrastructureReady) return { status: "False", reason: Reason.WaitingForInfrastructure };
  if (notReady.length > 0) {
    const names = notReady.map((m) => m.name);
    const shown = names.slice(0, 5).join(", ") + (names.length > 5 ? `, and ${names.length - 5} more` : "");
    return { status: "False", reason: Reason.MachinesNotReady, message: `machines not ready: ${shown}` };
  }
  return { status: "True", reason: Reason.AllMachinesReady };
}

function withStatuses(inputs: ClusterStatusInputs): { machine: Machine; status: MachineStatus }[] {
  const statuses = new Map(inputs.machineStatuses.map((m) => [m.name, m.status]));
  return (inputs.machines ?? []).map((machine) => ({
    machine,
    status: statuses.get(machine.metadata.name ?? "") ?? machine.status ?? {},
  }));
}

function defaultIfAbsent(conditions: ClusterStatus["conditions"], input: ConditionInput): ConditionInput[] {
  return findCondition(conditions, input.type) ? [] : [input];
}
