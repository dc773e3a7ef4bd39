import type { Cluster } from "../api/cluster.js";
import type { Machine } from "../api/machine.js";
import type { ClusterModel } from "../model/types.js";
import { computeClusterStatus } from "../status/cluster-status.js";
import { computeMachineStatus, type ObservedError } from "../status/machine-status.js";
import { observeStack, type RawOutput } from "../status/outputs.js";
import type { WorkloadObservation } from "../status/workload.js";

export interface StatusInputs {
  /** The stack's outputs after the run (undefined: nothing applied yet). */
  outputs?: Record<string, RawOutput>;
  /** Machines a plan in flight creates. */
  provisioning?: ReadonlySet<string>;
  error?: ObservedError;
  now: Date;
  /** The Cluster's workload API as the controller last saw it (docs/workload.md). */
  workload?: WorkloadObservation;
  nodeStartupTimeoutMs?: number;
}

export interface ClusterStatuses {
  cluster: Cluster;
  machines: Machine[];
  /** Names of sensitive outputs (values never leave the state). */
  sensitiveOutputs: string[];
}

/** Every object of one cluster with the status the controller writes for it. */
export function statusesFor(model: ClusterModel, inputs: StatusInputs): ClusterStatuses {
  const observed = inputs.outputs ? observeStack(model.provider, inputs.outputs) : undefined;
  const machines = model.machines.map((m) => {
    const status = computeMachineStatus({
      machine: m.machine,
      observation: observed?.machines.get(m.name),
      provisioning: inputs.provisioning?.has(m.name) ?? false,
      ...(inputs.error ? { error: inputs.error } : {}),
      now: inputs.now,
      ...(inputs.workload ? { workload: inputs.workload } : {}),
      ...(inputs.nodeStartupTimeoutMs !== undefined
        ? { nodeStartupTimeoutMs: inputs.nodeStartupTimeoutMs }
        : {}),
    });
    const providerID = status.providerID;
    return {
      ...m.machine,
      metadata: { ...m.machine.metadata, namespace: m.namespace },
      // DESIGN: providerID is copied to spec.providerID too, as Cluster API does.
      spec: providerID ? { ...m.machine.spec, providerID } : m.machine.spec,
      status,
    };
  });
  const status = computeClusterStatus({
    cluster: model.cluster,
    ...(observed ? { observation: observed.cluster, outputs: observed.outputs } : {}),
    machineStatuses: machines.map((m) => ({ name: m.metadata.name ?? "", status: m.status })),
    ...(inputs.workload ? { workload: inputs.workload, machines } : {}),
    provisioning: (inputs.provisioning?.size ?? 0) > 0,
    ...(inputs.error ? { error: inputs.error } : {}),
    now: inputs.now,
  });
  return {
    cluster: {
      ...model.cluster,
      metadata: { ...model.cluster.metadata, namespace: model.namespace },
      status,
    },
    machines,
    sensitiveOutputs: observed?.sensitiveOutputs ?? [],
  };
}
