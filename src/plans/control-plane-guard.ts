import type { ResourceChangeRef } from "../terraform/types.js";
import type { GuardHold } from "./guards.js";

/**
 * A cluster with a single control plane keeps its whole state in that
 * machine's etcd: a plan that deletes or replaces its instance (a version
 * rolled through a MachineDeployment, an AMI change, the Machine removed)
 * loses the cluster, so it is held under every apply policy. Pure: the
 * callers name the control-plane Machines and their instance addresses.
 */

export interface ControlPlaneInstance {
  machine: string;
  /** The instance's Terraform address (stacks' instanceAddress). */
  address: string;
}

/** The only running control plane(s) a plan deletes or replaces. */
export interface ControlPlaneLoss {
  lost: { machine: string; action: "delete" | "replace" }[];
}

/**
 * The loss when the plan deletes or replaces a control-plane instance and no
 * running control plane is left beside it (instances the plan creates do not
 * count: they would join an etcd that is going away). Undefined otherwise.
 */
export function controlPlaneLoss(
  controlPlanes: readonly ControlPlaneInstance[],
  changes: readonly ResourceChangeRef[],
): ControlPlaneLoss | undefined {
  const actions = new Map(changes.map((change) => [change.address, change.action]));
  const lost = controlPlanes.flatMap((cp) => {
    const action = actions.get(cp.address);
    return action === "delete" || action === "replace" ? [{ machine: cp.machine, action }] : [];
  });
  const kept = controlPlanes.filter(
    (cp) => !["delete", "replace", "create"].includes(actions.get(cp.address) ?? ""),
  );
  return lost.length > 0 && kept.length === 0 ? { lost } : undefined;
}

/** For people: `the plan replaces the instance of Machine cp-0, the cluster's only control plane: ...`. */
export function describeControlPlaneLoss(loss: ControlPlaneLoss): string {
  const what = loss.lost
    .map((cp) => `${cp.action === "delete" ? "deletes" : "replaces"} the instance of Machine ${cp.machine}`)
    .join(" and ");
  return `the plan ${what}, the cluster's only control plane: replacing it would lose etcd and with it the cluster's state`;
}

/** The single-control-plane guard's hold, or undefined when the plan keeps a running control plane. */
export function singleControlPlaneHold(
  controlPlanes: readonly ControlPlaneInstance[],
  changes: readonly ResourceChangeRef[],
): GuardHold | undefined {
  const loss = controlPlaneLoss(controlPlanes, changes);
  if (!loss) return undefined;
  return {
    guard: "single-control-plane",
    reason: `${describeControlPlaneLoss(loss)}; held under every apply policy until its id is approved (to change the control-plane version, add control-plane Machines at the new version first)`,
  };
}

/**
 * The control-plane Machines of a cluster: those with
 * spec.versions.controlPlane, plus the recorded init machine (a control
 * plane by definition, even once its Machine left the manifests).
 */
export function controlPlaneInstances(
  machines: readonly { name: string; role: string }[],
  addressOf: (machine: string) => string,
  recordedInitMachine?: string,
): ControlPlaneInstance[] {
  const names = new Set(machines.filter((m) => m.role === "control-plane").map((m) => m.name));
  if (recordedInitMachine) names.add(recordedInitMachine);
  return [...names].sort().map((machine) => ({ machine, address: addressOf(machine) }));
}
