import type { KubernetesObject } from "@kubernetes/client-node";
import type { MachineSet } from "../../api/machine-set.js";
import { Controller } from "../runtime/controller.js";
import { formatKey } from "../runtime/keys.js";
import type { Manager } from "../runtime/manager.js";
import { EventRecorder } from "../shared/events.js";
import { selectorMatcher } from "../shared/labels.js";
import { controllerRefOf, mapToControllerOfKind } from "../shared/owner-refs.js";
import { MachineResource, MachineSetResource } from "../shared/resources.js";
import { reconcileMachineSet } from "./reconcile.js";
import { UnconfirmedCreates } from "./unconfirmed-creates.js";

export interface MachineSetControllerOptions {
  maxConcurrent?: number;
}

/**
 * The MachineSet controller: watches MachineSets, and Machines mapped to
 * their controlling set (or, for orphans, to every set whose selector
 * matches them, so they get adopted).
 */
export function machineSetController(
  manager: Manager,
  options: MachineSetControllerOptions = {},
): Controller {
  const sets = manager.informer<MachineSet & KubernetesObject>(MachineSetResource);
  const recorder = new EventRecorder(manager.client, "clusterform-machineset", manager.logger);
  const unconfirmed = new UnconfirmedCreates();
  const controller = new Controller({
    name: "machineset",
    maxConcurrent: options.maxConcurrent ?? 2,
    logger: manager.logger,
    reconcile: (key) => reconcileMachineSet({ client: manager.client, recorder, unconfirmed }, key),
  });
  const toOwner = mapToControllerOfKind("MachineSet");
  controller.watch(sets);
  controller.watch(manager.informer(MachineResource), (machine) => {
    if (controllerRefOf(machine)) return toOwner(machine);
    return sets
      .list(machine.metadata?.namespace)
      .filter((set) => selectorMatcher(set.spec.selector)(machine))
      .map((set) => formatKey({ namespace: set.metadata.namespace, name: set.metadata.name ?? "" }));
  });
  return controller;
}
