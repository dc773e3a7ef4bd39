import type { Cluster } from "../api/cluster.js";
import { type ConditionInput, ConditionType, findCondition } from "../api/conditions.js";
import type { Machine, MachineStatus } from "../api/machine.js";
import { Reason } from "../api/reasons.js";
import { chooseInitMachine, INIT_MACHINE_ANNOTATION, isControlPlaneMachine } from "../bootstrap/roles.js";
import { type NodeSummary, providerIDKey, type WorkloadObservation } from "./workload.js";

/** --node-startup-timeout's default: how long a running instance may go without its Node registering. */
export const DEFAULT_NODE_STARTUP_TIMEOUT_MS = 15 * 60_000;

/** What the workload cluster says about one Machine. */
export interface MachineNodeStatus {
  /** v1alpha1 ObjectReference to the Node (absent: none registered, or nothing known). */
  nodeRef?: { kind: "Node"; apiVersion: "v1"; name: string; uid?: string };
  /** The NodeHealthy condition (absent: the Cluster has no workload kubeconfig). */
  condition?: ConditionInput;
  /** Set when the instance runs but the Machine is not Running yet: why, for its Ready condition. */
  notRunningBecause?: { reason: string; message: string };
}

export interface MachineNodeInputs {
  machine: Machine;
  providerID?: string;
  instanceRunning: boolean;
  workload?: WorkloadObservation;
  now: Date;
  startupTimeoutMs?: number;
}

/**
 * The Node whose spec.providerID equals the Machine's becomes its nodeRef,
 * and the Node's Ready condition its NodeHealthy condition. Without a
 * workload kubeconfig nothing changes (the phase follows the instance);
 * while the workload API does not answer, the last nodeRef is kept and
 * NodeHealthy is Unknown.
 */
export function machineNodeStatus(inputs: MachineNodeInputs): MachineNodeStatus {
  const { machine, workload } = inputs;
  const previousRef = machine.status?.nodeRef as MachineNodeStatus["nodeRef"];
  const kept = previousRef ? { nodeRef: previousRef } : {};
  if (!workload) return kept;
  if (workload.api !== "reachable") {
    const message =
      workload.api === "connecting"
        ? `waiting for the workload API at ${workload.address} to answer`
        : `workload API ${workload.address || "(no address)"} unreachable: ${workload.error ?? "no answer"}`;
    const reason =
      workload.api === "connecting" ? Reason.WaitingForWorkloadAPI : Reason.WorkloadAPIUnreachable;
    return {
      ...kept,
      condition: { type: ConditionType.NodeHealthy, status: "Unknown", reason, message },
      ...(inputs.instanceRunning && !previousRef ? { notRunningBecause: { reason, message } } : {}),
    };
  }
  const node = inputs.providerID ? workload.nodes.get(providerIDKey(inputs.providerID)) : undefined;
  if (node) return { nodeRef: nodeRef(node), condition: nodeHealthy(node) };
  if (!inputs.instanceRunning) {
    return {
      condition: {
        type: ConditionType.NodeHealthy,
        status: "Unknown",
        reason: Reason.WaitingForInstance,
        message: "the instance is not running yet",
      },
    };
  }
  const awaiting = awaitingNode(inputs);
  return {
    condition: { type: ConditionType.NodeHealthy, status: "False", ...awaiting },
    notRunningBecause: awaiting,
  };
}

function nodeRef(node: NodeSummary): NonNullable<MachineNodeStatus["nodeRef"]> {
  return { kind: "Node", apiVersion: "v1", name: node.name, ...(node.uid ? { uid: node.uid } : {}) };
}

function nodeHealthy(node: NodeSummary): ConditionInput {
  const { status, reason, message } = node.ready;
  return {
    type: ConditionType.NodeHealthy,
    status,
    reason: reason ?? (status === "True" ? Reason.NodeReady : Reason.NodeNotReady),
    message: `Node ${node.name}${node.unschedulable ? " (cordoned)" : ""}: ${message ?? `Ready=${status}`}`,
  };
}

/**
 * The clock starts when NodeHealthy turned False (the instance running, no
 * Node). The message names the timeout, not the time waited: a figure that
 * moves would rewrite the Machine's status on every pass.
 */
function awaitingNode(inputs: MachineNodeInputs): { reason: string; message: string } {
  const since = awaitingNodeSince(inputs.machine) ?? inputs.now.getTime();
  const timeout = inputs.startupTimeoutMs ?? DEFAULT_NODE_STARTUP_TIMEOUT_MS;
  const name = inputs.machine.metadata.name ?? "";
  if (inputs.now.getTime() - since < timeout) {
    return {
      reason: Reason.NodeNotRegistered,
      message: `instance running; no Node with providerID ${inputs.providerID} has registered yet (node startup timeout ${describeTimeout(timeout)})`,
    };
  }
  return {
    reason: Reason.NodeStartupTimeout,
    message:
      `no Node with providerID ${inputs.providerID} registered within ${describeTimeout(timeout)} of the instance running: ` +
      `check its bootstrap data (Secret ${name}-bootstrap) and its boot log ` +
      "(aws ec2 get-console-output --instance-id <id>, or /var/log/cloud-init-output.log on the machine)",
  };
}

/** When NodeHealthy turned False (ms since the epoch), as the Machine's status says. */
function awaitingNodeSince(machine: Machine): number | undefined {
  const healthy = findCondition(machine.status?.conditions, ConditionType.NodeHealthy);
  if (healthy?.status !== "False" || !healthy.lastTransitionTime) return undefined;
  const since = Date.parse(healthy.lastTransitionTime);
  return Number.isNaN(since) ? undefined : since;
}

/**
 * How long until the first of these Machines still waiting for its Node
 * (NodeNotRegistered) reaches the node startup timeout, so the pass that
 * turns it into NodeStartupTimeout is scheduled rather than left to chance.
 * Undefined when none is waiting.
 */
export function nodeStartupDelay(
  machines: readonly Machine[],
  now: Date,
  timeoutMs = DEFAULT_NODE_STARTUP_TIMEOUT_MS,
): number | undefined {
  const delays = machines.flatMap((machine) => {
    const healthy = findCondition(machine.status?.conditions, ConditionType.NodeHealthy);
    const since = awaitingNodeSince(machine);
    if (healthy?.reason !== Reason.NodeNotRegistered || since === undefined) return [];
    // A deadline already past but not yet reported waits for a pass that reads the workload cluster.
    const delay = since + timeoutMs - now.getTime();
    return delay > 0 ? [delay] : [];
  });
  return delays.length > 0 ? Math.min(...delays) : undefined;
}

/** "15m", "90s": the flag's value as a person set it. */
function describeTimeout(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${Math.round(ms / 1000)}s`;
}

/**
 * The Cluster's view of its workload cluster: WorkloadAPIReachable (with the
 * address tried and the error), ControlPlaneInitialized (the init machine's
 * Node exists; once True it stays True) and ControlPlaneReady (every
 * control-plane Machine's Node is Ready). None without a workload kubeconfig.
 */
export function clusterWorkloadConditions(
  cluster: Cluster,
  machines: readonly { machine: Machine; status: MachineStatus }[],
  workload: WorkloadObservation | undefined,
): ConditionInput[] {
  if (!workload) return [];
  const reachable: ConditionInput =
    workload.api === "reachable"
      ? {
          type: ConditionType.WorkloadAPIReachable,
          status: "True",
          reason: Reason.WorkloadAPIAnswered,
          message: workload.address,
        }
      : {
          type: ConditionType.WorkloadAPIReachable,
          status: workload.api === "connecting" ? "Unknown" : "False",
          reason:
            workload.api === "connecting" ? Reason.WaitingForWorkloadAPI : Reason.WorkloadAPIUnreachable,
          message: `${workload.address || "(no address)"}: ${workload.error ?? "no answer yet"}`,
        };
  return [
    reachable,
    controlPlaneInitialized(cluster, machines, workload),
    controlPlaneReady(machines, workload),
  ];
}

function controlPlaneInitialized(
  cluster: Cluster,
  machines: readonly { machine: Machine; status: MachineStatus }[],
  workload: WorkloadObservation,
): ConditionInput {
  const type = ConditionType.ControlPlaneInitialized;
  if (findCondition(cluster.status?.conditions, type)?.status === "True")
    return { type, status: "True", reason: Reason.InitMachineNodeRegistered };
  const init = chooseInitMachine(
    machines.map((m) => m.machine),
    cluster.metadata.annotations?.[INIT_MACHINE_ANNOTATION],
  );
  if (!init)
    return {
      type,
      status: "False",
      reason: Reason.NoControlPlaneMachine,
      message: "no Machine sets spec.versions.controlPlane",
    };
  const machine = machines.find((m) => m.machine.metadata.name === init);
  const providerID = machine?.status.providerID;
  const node =
    providerID && workload.api === "reachable" ? workload.nodes.get(providerIDKey(providerID)) : undefined;
  if (node)
    return {
      type,
      status: "True",
      reason: Reason.InitMachineNodeRegistered,
      message: `Machine ${init}: Node ${node.name}`,
    };
  return {
    type,
    status: "False",
    reason: Reason.WaitingForInitMachineNode,
    message: `waiting for the Node of init Machine ${init}${providerID ? ` (providerID ${providerID})` : ""}`,
  };
}

function controlPlaneReady(
  machines: readonly { machine: Machine; status: MachineStatus }[],
  workload: WorkloadObservation,
): ConditionInput {
  const type = ConditionType.ControlPlaneReady;
  const controlPlane = machines.filter((m) => isControlPlaneMachine(m.machine));
  if (controlPlane.length === 0)
    return {
      type,
      status: "False",
      reason: Reason.NoControlPlaneMachine,
      message: "no Machine sets spec.versions.controlPlane",
    };
  const notReady = controlPlane.filter((m) => {
    const node =
      m.status.providerID && workload.api === "reachable"
        ? workload.nodes.get(providerIDKey(m.status.providerID))
        : undefined;
    return node?.ready.status !== "True";
  });
  if (notReady.length === 0) return { type, status: "True", reason: Reason.ControlPlaneNodesReady };
  return {
    type,
    status: "False",
    reason: Reason.ControlPlaneNodesNotReady,
    message: `control-plane Nodes not Ready: ${notReady.map((m) => m.machine.metadata.name).join(", ")}`,
  };
}
