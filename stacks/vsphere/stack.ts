import type { Construct } from "constructs";
import type { VsphereClusterModel } from "../../src/model/types.js";
import { addBootstrapVariables, literalLocal } from "../bootstrap.js";
import type { SynthContext } from "../context.js";
import { guestHostName } from "./guestinfo.js";
import { VsphereInventory } from "./inventory.js";
import { VsphereMachine } from "./machine.js";
import { addVsphereOutputs } from "./outputs.js";
import { addVsphereProvider } from "./provider.js";

/** Fills `scope` (the cluster's TerraformStack) with the vSphere resources of `model`. */
export function buildVsphereStack(scope: Construct, context: SynthContext, model: VsphereClusterModel) {
  addVsphereProvider(scope, context, model.spec);
  const inventory = new VsphereInventory(scope, context);
  const variables = addBootstrapVariables(
    scope,
    context,
    model,
    model.spec.controlPlaneEndpoint?.host === undefined,
  );
  const knownHost = knownEndpoint(model);
  const known =
    knownHost === undefined ? undefined : literalLocal(scope, context, "control_plane_endpoint", knownHost);
  const initName = model.bootstrap?.initMachine;
  // Without a known endpoint the init machine is built first: the others name its address.
  const ordered =
    known === undefined
      ? [...model.machines].sort((a, b) => Number(b.name === initName) - Number(a.name === initName))
      : model.machines;
  let endpointHost = known;
  const built = new Map<string, VsphereMachine>();
  for (const machine of ordered) {
    const variable = variables.get(machine.name);
    // The init machine cannot name its own address (a cycle): it names its host name.
    const host =
      endpointHost ??
      (variable === undefined
        ? ""
        : literalLocal(scope, context, "init_machine_host_name", guestHostName(machine.name)));
    const vm = new VsphereMachine(
      scope,
      context,
      model,
      machine,
      inventory,
      variable === undefined ? undefined : { variable, endpointHost: host },
    );
    if (endpointHost === undefined && machine.name === initName) endpointHost = vm.vm.defaultIpAddress;
    built.set(machine.name, vm);
  }
  if (model.bootstrap !== undefined && known === undefined) {
    context.warnings.push(
      `Cluster ${model.namespace}/${model.name}: the API endpoint is the init machine ${initName}'s DHCP address (no HA, and the init machine itself reaches the API by its host name, which needs DNS); set spec.providerSpec.value.controlPlaneEndpoint.host to a virtual IP or a static address on the init machine`,
    );
  }
  const datacenter =
    model.spec.datacenter ?? model.machines.find((m) => m.providerSpec.datacenter)?.providerSpec.datacenter;
  const datacenterId = datacenter === undefined ? "" : inventory.datacenter(datacenter).id;
  const machines = model.machines.map((machine) => ({
    name: machine.name,
    role: machine.role,
    built: built.get(machine.name) as VsphereMachine,
  }));
  addVsphereOutputs(scope, context, datacenterId, machines, model.bootstrap ? endpointHost : undefined);
}

/**
 * The API endpoint host when it is known before any machine exists: the
 * Cluster's controlPlaneEndpoint.host, else the init machine's first static
 * address. Undefined without bootstrapping or when neither is set.
 */
function knownEndpoint(model: VsphereClusterModel): string | undefined {
  if (model.bootstrap === undefined) return undefined;
  const host = model.spec.controlPlaneEndpoint?.host;
  if (host !== undefined) return host;
  const init = model.machines.find((machine) => machine.name === model.bootstrap?.initMachine);
  const address = init?.providerSpec.network.devices.flatMap((device) => device.ipAddrs ?? [])[0];
  if (address === undefined) return undefined;
  const ip = address.split("/")[0] ?? "";
  // A malformed address is reported on the Machine by guestCustomization.
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(ip) ? ip : "";
}
