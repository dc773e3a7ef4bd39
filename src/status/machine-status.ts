import { ConditionType, setConditions } from "../api/conditions.js";
import type { Machine, MachineStatus } from "../api/machine.js";
import { machineNodeStatus } from "./node-status.js";
import type { MachineObservation } from "./observe.js";
import { deriveMachinePhase } from "./phase.js";
import { Reason } from "./reasons.js";
import type { WorkloadObservation } from "./workload.js";

/** A failure that concerns this object: terminal ones set errorReason, others only conditions. */
export interface ObservedError {
  reason: string;
  message: string;
  terminal: boolean;
}

export interface MachineStatusInputs {
  machine: Machine;
  observation?: MachineObservation;
  provisioning: boolean;
  error?: ObservedError;
  now: Date;
  /** The Cluster's workload API as last seen; undefined when it has no workload kubeconfig. */
  workload?: WorkloadObservation;
  /** --node-startup-timeout in ms. */
  nodeStartupTimeoutMs?: number;
}

/** The whole status of one Machine, computed from what was observed; patched once by the caller. */
export function computeMachineStatus({
  machine,
  observation,
  provisioning,
  error,
  now,
  workload,
  nodeStartupTimeoutMs,
}: MachineStatusInputs): MachineStatus {
  const previous = machine.status ?? {};
  const terminal = error?.terminal ? error : undefined;
  const node = machineNodeStatus({
    machine,
    ...(observation ? { providerID: observation.providerID } : {}),
    instanceRunning: observation?.instanceState === "running",
    ...(workload ? { workload } : {}),
    now,
    ...(nodeStartupTimeoutMs !== undefined ? { startupTimeoutMs: nodeStartupTimeoutMs } : {}),
  });
  const phase = deriveMachinePhase({
    deleting: Boolean(machine.metadata.deletionTimestamp),
    ...(terminal ? { errorReason: terminal.reason } : {}),
    ...(observation ? { providerID: observation.providerID, instanceState: observation.instanceState } : {}),
    provisioning,
    awaitingNode: Boolean(node.notRunningBecause),
  });
  const ready = readyCondition(phase, observation, error, node.notRunningBecause);
  const generation = machine.metadata.generation;
  return {
    ...(observation
      ? {
          providerID: observation.providerID,
          addresses: observation.addresses,
          providerStatus: observation.providerStatus,
        }
      : {}),
    ...(machine.spec.versions ? { versions: machine.spec.versions } : {}),
    ...(terminal ? { errorReason: terminal.reason, errorMessage: terminal.message } : {}),
    ...(node.nodeRef ? { nodeRef: node.nodeRef } : {}),
    phase,
    lastUpdated: now.toISOString(),
    conditions: setConditions(
      previous.conditions,
      [
        {
          type: ConditionType.Ready,
          ...ready,
          ...(generation !== undefined ? { observedGeneration: generation } : {}),
        },
        ...(node.condition ? [node.condition] : []),
      ],
      now,
    ),
    ...(generation !== undefined && !error ? { observedGeneration: generation } : {}),
    ...(generation !== undefined && error && previous.observedGeneration !== undefined
      ? { observedGeneration: previous.observedGeneration }
      : {}),
  };
}

function readyCondition(
  phase: string,
  observation: MachineObservation | undefined,
  error: ObservedError | undefined,
  awaitingNode: { reason: string; message: string } | undefined,
): { status: "True" | "False"; reason: string; message?: string } {
  if (error) return { status: "False", reason: error.reason, message: error.message };
  if (awaitingNode && phase === "Provisioned") return { status: "False", ...awaitingNode };
  switch (phase) {
    case "Running":
      return { status: "True", reason: Reason.InstanceRunning };
    case "Provisioned":
      return {
        status: "False",
        reason: Reason.InstanceNotRunning,
        message: `instance ${observation?.providerStatus.instanceID ?? ""} is ${observation?.instanceState ?? "unknown"}`,
      };
    case "Provisioning":
      return { status: "False", reason: Reason.Provisioning, message: "terraform is creating the instance" };
    case "Deleting":
      return { status: "False", reason: Reason.Deleting };
    default:
      return {
        status: "False",
        reason: Reason.WaitingForInfrastructure,
        message: "no instance in the stack's state yet",
      };
  }
}
