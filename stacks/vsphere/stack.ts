import type { Construct } from "constructs";
import type { VsphereClusterModel } from "../../src/model/types.js";
import type { SynthContext } from "../context.js";
import { VsphereInventory } from "./inventory.js";
import { VsphereMachine } from "./machine.js";
import { addVsphereOutputs } from "./outputs.js";
import { addVsphereProvider } from "./provider.js";

/** Fills `scope` (the cluster's TerraformStack) with the vSphere resources of `model`. */
export function buildVsphereStack(scope: Construct, context: SynthContext, model: VsphereClusterModel) {
  addVsphereProvider(scope, context, model.spec);
  const inventory = new VsphereInventory(scope, context);
  const machines = model.machines.map((machine) => ({
    name: machine.name,
    role: machine.role,
    built: new VsphereMachine(scope, context, model, machine, inventory),
  }));
  const datacenter =
    model.spec.datacenter ?? model.machines.find((m) => m.providerSpec.datacenter)?.providerSpec.datacenter;
  const datacenterId = datacenter === undefined ? "" : inventory.datacenter(datacenter).id;
  addVsphereOutputs(scope, context, datacenterId, machines);
}
