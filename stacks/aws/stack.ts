import type { Construct } from "constructs";
import type { AwsClusterModel } from "../../src/model/types.js";
import type { SynthContext } from "../context.js";
import { addCloudCredentials } from "./cloud-credentials.js";
import { AwsMachineInstance } from "./machine.js";
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
  addAwsProvider(scope, context, model.spec.region, awsEndpoint);
  const network = new AwsNetwork(scope, context, model);
  const groups = new ClusterSecurityGroups(scope, context, model, network.vpcId, network.vpcCidr);
  const machines = model.machines.map((machine) => ({
    name: machine.name,
    role: machine.role,
    built: new AwsMachineInstance(scope, context, model, machine, network, groups),
  }));
  addAwsOutputs(scope, context, network, groups, machines);
  addCloudCredentials(scope, context, model);
}
