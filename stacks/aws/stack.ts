import type { Construct } from "constructs";
import type { AwsControlPlaneEndpointType } from "../../src/api/provider-aws.js";
import type { AwsClusterModel } from "../../src/model/types.js";
import { addBootstrapVariables } from "../bootstrap.js";
import type { SynthContext } from "../context.js";
import { ApiLoadBalancer } from "./api-load-balancer.js";
import { addCloudCredentials } from "./cloud-credentials.js";
import { AwsMachineInstance, type MachineBootstrap } from "./machine.js";
import { AwsNetwork } from "./network.js";
import { addAwsOutputs } from "./outputs.js";
import { addAwsProvider } from "./provider.js";
import { ClusterSecurityGroups } from "./security-groups.js";

/** Fills `scope` (the cluster's TerraformStack) with the AWS resources of `model`. */
export function buildAwsStack(
  scope: Construct,
  context: SynthContext,
  model: AwsClusterModel,
  awsEndpoint?: string,
) {
  const endpointType = model.bootstrap === undefined ? undefined : awsEndpointType(model);
  addAwsProvider(scope, context, model.spec.region, awsEndpoint, endpointType === "LoadBalancer");
  const network = new AwsNetwork(scope, context, model);
  const groups = new ClusterSecurityGroups(scope, context, model, network.vpcId, network.vpcCidr);
  const variables = addBootstrapVariables(scope, context, model, endpointType === "InitMachine");
  const loadBalancer =
    endpointType === "LoadBalancer" ? new ApiLoadBalancer(scope, context, model, network) : undefined;

  // In mode InitMachine the init machine is built first: its fixed address is the endpoint. The
  // others name the instance's private_ip, so they are created after it (no race for that address).
  const initName = model.bootstrap?.initMachine;
  const ordered =
    endpointType === "InitMachine"
      ? [...model.machines].sort((a, b) => Number(b.name === initName) - Number(a.name === initName))
      : model.machines;
  let endpointHost = loadBalancer?.dnsName;
  const built = new Map<string, AwsMachineInstance>();
  for (const machine of ordered) {
    const variable = variables.get(machine.name);
    let bootstrap: MachineBootstrap | undefined;
    if (variable !== undefined) {
      const ownAddress = endpointType === "InitMachine" && machine.name === initName;
      bootstrap = {
        variable,
        endpoint: ownAddress ? "own-address" : { host: endpointHost ?? "" },
        emulator: awsEndpoint !== undefined,
      };
    }
    const instance = new AwsMachineInstance(scope, context, model, machine, network, groups, bootstrap);
    if (instance.fixedPrivateIp !== undefined) endpointHost = instance.instance.privateIp;
    if (machine.role === "control-plane") loadBalancer?.register(machine.name, instance);
    built.set(machine.name, instance);
  }
  const machines = model.machines.map((machine) => ({
    name: machine.name,
    role: machine.role,
    built: built.get(machine.name) as AwsMachineInstance,
  }));
  addAwsOutputs(scope, context, network, groups, machines, endpointHost);
  addCloudCredentials(scope, context, model);
}

/** The Cluster's `controlPlaneEndpoint.type`; LoadBalancer unless it says otherwise. */
export function awsEndpointType(model: AwsClusterModel): AwsControlPlaneEndpointType {
  return model.spec.controlPlaneEndpoint?.type ?? "LoadBalancer";
}
