import type { Cluster } from "../api/cluster.js";
import type { Machine } from "../api/machine.js";
import type { ClusterModel } from "../model/types.js";
import { composeStatuses } from "../status/compose.js";
import type { ObservedError } from "../status/observations.js";
import { observeStack, type RawOutput } from "../status/outputs.js";

export interface StatusInputs {
  /** The stack's outputs after the run (undefined: nothing applied yet). */
  outputs?: Record<string, RawOutput>;
  /** Machines a plan in flight creates. */
  provisioning?: ReadonlySet<string>;
  error?: ObservedError;
  now: Date;
}

export interface ClusterStatuses {
  cluster: Cluster;
  machines: Machine[];
  /** Names of sensitive outputs (values never leave the state). */
  sensitiveOutputs: string[];
}

/** Every object of one cluster with the status it gets (file mode: composed as the controller composes). */
export function statusesFor(model: ClusterModel, inputs: StatusInputs): ClusterStatuses {
  const composed = composeStatuses({
    now: inputs.now,
    cluster: { ...model.cluster, metadata: { ...model.cluster.metadata, namespace: model.namespace } },
    machines: model.machines.map((m) => ({
      ...m.machine,
      metadata: { ...m.machine.metadata, namespace: m.namespace },
    })),
    stackMachines: model.machines.map((m) => m.name),
    provider: model.provider,
    ...(inputs.outputs ? { outputs: inputs.outputs } : {}),
    ...(inputs.provisioning ? { provisioning: inputs.provisioning } : {}),
    ...(inputs.error ? { error: inputs.error } : {}),
  });
  const machines = composed.machines.map(({ object, status }) => ({
    ...object,
    // DESIGN: providerID is copied to spec.providerID too, as Cluster API does.
    spec: status.providerID ? { ...object.spec, providerID: status.providerID } : object.spec,
    status,
  }));
  return {
    cluster: { ...composed.cluster.object, status: composed.cluster.status },
    machines,
    sensitiveOutputs: inputs.outputs ? observeStack(model.provider, inputs.outputs).sensitiveOutputs : [],
  };
}
