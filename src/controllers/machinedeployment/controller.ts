import type { KubernetesObject } from "@kubernetes/client-node";
import type { MachineSet } from "../../api/machine-set.js";
import { Controller } from "../runtime/controller.js";
import type { Manager } from "../runtime/manager.js";
import { EventRecorder } from "../shared/events.js";
import { controllerRefOf, mapToControllerOfKind } from "../shared/owner-refs.js";
import { MachineDeploymentResource, MachineResource, MachineSetResource } from "../shared/resources.js";
import { reconcileMachineDeployment } from "./reconcile.js";

export interface MachineDeploymentControllerOptions {
  maxConcurrent?: number;
}

/**
 * The MachineDeployment controller: watches MachineDeployments, their
 * MachineSets, and Machines (mapped through their set to its deployment,
 * since readiness drives the rollout).
 */
export function machineDeploymentController(
  manager: Manager,
  options: MachineDeploymentControllerOptions = {},
): Controller {
  const sets = manager.informer<MachineSet & KubernetesObject>(MachineSetResource);
  const recorder = new EventRecorder(manager.client, "clusterform-machinedeployment", manager.logger);
  const controller = new Controller({
    name: "machinedeployment",
    maxConcurrent: options.maxConcurrent ?? 2,
    logger: manager.logger,
    reconcile: (key) => reconcileMachineDeployment({ client: manager.client, recorder }, key),
  });
  const toDeployment = mapToControllerOfKind("MachineDeployment");
  controller.watch(manager.informer(MachineDeploymentResource));
  controller.watch(sets, toDeployment);
  controller.watch(manager.informer(MachineResource), (machine) => {
    const ref = controllerRefOf(machine);
    if (ref?.kind !== "MachineSet") return [];
    const set = sets.get(ref.name, machine.metadata?.namespace);
    return set ? toDeployment(set) : [];
  });
  return controller;
}
