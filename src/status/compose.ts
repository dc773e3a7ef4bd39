import type { Cluster, ClusterStatus } from "../api/cluster.js";
import type { Machine, MachineStatus } from "../api/machine.js";
import { isDeleting } from "../util/objects.js";
import { computeClusterStatus } from "./cluster-status.js";
import { withInstancesTerminated } from "./lost-instance.js";
import { computeMachineStatus } from "./machine-status.js";
import type { ObservedError, PassObservations } from "./observations.js";
import { observeStack } from "./outputs.js";

export interface ComputedStatuses {
  cluster: { object: Cluster; status: ClusterStatus };
  machines: { object: Machine; status: MachineStatus }[];
}

/**
 * Every object's status from one pass's observations (Cluster API's
 * updateStatus): the Machines first, then the Cluster, which summarises the
 * stack's Machines. Pure: the caller writes each status that changed, once.
 * Machines in the stack come first, in the stack's order; those leaving it
 * (being deleted) follow and carry no plan or lost-instance conditions.
 */
export function composeStatuses(pass: PassObservations): ComputedStatuses {
  const { now } = pass;
  // The outputs as the last apply recorded them, corrected by what the drift check saw since.
  const outputs = pass.outputs && pass.lost ? withInstancesTerminated(pass.outputs, pass.lost) : pass.outputs;
  const observed = outputs && pass.provider ? observeStack(pass.provider, outputs) : undefined;
  const inStack = new Set(pass.stackMachines ?? []);
  const byName = new Map(pass.machines.map((m) => [m.metadata.name ?? "", m]));
  const stacked = (pass.stackMachines ?? []).flatMap((name) => byName.get(name) ?? []);
  const leaving = pass.machines.filter((m) => !inStack.has(m.metadata.name ?? ""));
  const machineStatus = (machine: Machine, inStackNow: boolean) => {
    const name = machine.metadata.name ?? "";
    return {
      object: machine,
      status: computeMachineStatus({
        machine,
        observation: observed?.machines.get(name),
        provisioning: inStackNow && (pass.provisioning?.has(name) ?? false),
        error: errorFor(pass, machine),
        ...(inStackNow ? { lost: pass.lost?.get(name), plan: { note: pass.held?.notes.get(name) } } : {}),
        now,
      }),
    };
  };
  const stackStatuses = stacked.map((m) => machineStatus(m, true));
  const status = computeClusterStatus({
    cluster: pass.cluster,
    observation: observed?.cluster,
    outputs: observed?.outputs,
    machineStatuses: stackStatuses.map((m) => ({ name: m.object.metadata.name ?? "", status: m.status })),
    provisioning: (pass.provisioning?.size ?? 0) > 0,
    error: pass.error,
    plan: pass.plan,
    held: pass.held,
    drift: pass.drift,
    stateLock: pass.stateLock,
    now,
  });
  return {
    cluster: { object: pass.cluster, status },
    machines: [...stackStatuses, ...leaving.map((m) => machineStatus(m, false))],
  };
}

/** A Machine's own failure, else the pass's (a Machine being deleted is not failed by its cluster's problems). */
function errorFor(pass: PassObservations, machine: Machine): ObservedError | undefined {
  const own = pass.machineErrors?.get(machine.metadata.name ?? "");
  if (own) return own;
  return isDeleting(machine) ? undefined : pass.error;
}
