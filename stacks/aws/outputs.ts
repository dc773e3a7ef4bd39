import { Fn, TerraformOutput, Token } from "cdktf";
import type { Construct } from "constructs";
import type { SynthContext } from "../context.js";
import { named } from "../elements.js";
import {
  API_SERVER_PORT,
  CLUSTER_OUTPUT,
  CONTROL_PLANE_ENDPOINT_OUTPUT,
  MACHINES_OUTPUT,
} from "../outputs.js";
import type { AwsMachineInstance } from "./machine.js";
import type { AwsNetwork } from "./network.js";
import type { ClusterSecurityGroups } from "./security-groups.js";

/**
 * The `machines` and `cluster` outputs (shapes in stacks/outputs.ts); with
 * bootstrapping, `endpointHost` (load balancer DNS name or the init machine's
 * interface address) is the api_endpoint and the `control_plane_endpoint` output.
 */
export function addAwsOutputs(
  scope: Construct,
  context: SynthContext,
  network: AwsNetwork,
  groups: ClusterSecurityGroups,
  machines: { name: string; role: string; built: AwsMachineInstance }[],
  endpointHost?: string,
) {
  const perMachine: Record<string, object> = {};
  for (const { name, built } of machines) {
    const instance = built.instance;
    perMachine[context.literal(name)] = {
      instance_id: instance.id,
      private_ip: instance.privateIp,
      public_ip: instance.publicIp,
      private_dns: instance.privateDns,
      state: instance.instanceState,
      availability_zone: instance.availabilityZone,
    };
  }
  named(new TerraformOutput(scope, MACHINES_OUTPUT, { value: perMachine }), MACHINES_OUTPUT);

  const controlPlane = machines.find((machine) => machine.role === "control-plane")?.built.instance;
  // The public address when the instance has one, else the private one.
  const apiEndpoint =
    endpointHost !== undefined
      ? `${endpointHost}:${API_SERVER_PORT}`
      : controlPlane === undefined
        ? ""
        : `${Token.asString(Fn.coalesce([controlPlane.publicIp, controlPlane.privateIp]))}:${API_SERVER_PORT}`;
  const cluster = {
    vpc_id: network.vpcId,
    subnet_ids: network.subnets.map((subnet) => subnet.id),
    security_group_ids: [groups.controlPlaneGroup.id, groups.nodeGroup.id],
    api_endpoint: apiEndpoint,
  };
  named(new TerraformOutput(scope, CLUSTER_OUTPUT, { value: cluster }), CLUSTER_OUTPUT);
  if (endpointHost !== undefined) {
    const output = new TerraformOutput(scope, CONTROL_PLANE_ENDPOINT_OUTPUT, { value: endpointHost });
    named(output, CONTROL_PLANE_ENDPOINT_OUTPUT);
  }
}
