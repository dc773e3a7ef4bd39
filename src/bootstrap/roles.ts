import type { Machine } from "../api/machine.js";

/**
 * Which kubeadm step each Machine runs. v1alpha1's rule: a Machine with
 * `spec.versions.controlPlane` is a control-plane machine. Exactly one of
 * them runs `kubeadm init`; every other Machine joins.
 */
export type BootstrapRole = "init" | "control-plane-join" | "worker-join";

/**
 * On a Cluster: the name of the Machine that ran (or will run) `kubeadm
 * init`. Recorded when the cluster is first planned so later changes
 * (a new Machine sorting first, the init machine deleted) never move it.
 */
export const INIT_MACHINE_ANNOTATION = "clusterform.io/init-machine";

export function isControlPlaneMachine(machine: Pick<Machine, "spec">): boolean {
  const version = machine.spec.versions?.controlPlane;
  return version !== undefined && version !== "";
}

/**
 * The init machine: the recorded one when there is a record (even if that
 * Machine is gone: the cluster exists then, and everyone else joins it),
 * otherwise the first control-plane Machine by name (code-point order, so
 * every controller and locale agrees), or undefined when there is none.
 */
export function chooseInitMachine(machines: readonly Machine[], recorded?: string): string | undefined {
  if (recorded) return recorded;
  const names = machines
    .filter(isControlPlaneMachine)
    .map((machine) => machine.metadata.name ?? "")
    .filter((name) => name !== "")
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names[0];
}

export interface RoleAssignment {
  /** Name of the init machine; undefined when the cluster has no control-plane Machine. */
  initMachine?: string;
  /** Role per Machine name. */
  roles: Map<string, BootstrapRole>;
  /**
   * True when there are Machines but no control-plane Machine and no recorded
   * init: nothing could ever initialise the cluster, which the controller
   * reports on the Cluster instead of planning machines that cannot join.
   */
  missingControlPlane: boolean;
}

export function assignRoles(machines: readonly Machine[], recordedInit?: string): RoleAssignment {
  const initMachine = chooseInitMachine(machines, recordedInit);
  const roles = new Map<string, BootstrapRole>();
  for (const machine of machines) {
    const name = machine.metadata.name;
    if (!name) continue;
    roles.set(name, roleOf(machine, initMachine));
  }
  return {
    ...(initMachine !== undefined ? { initMachine } : {}),
    roles,
    missingControlPlane: machines.length > 0 && initMachine === undefined,
  };
}

export function roleOf(machine: Machine, initMachine: string | undefined): BootstrapRole {
  if (machine.metadata.name !== undefined && machine.metadata.name === initMachine) return "init";
  return isControlPlaneMachine(machine) ? "control-plane-join" : "worker-join";
}
