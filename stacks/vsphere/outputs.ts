import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { SynthContext } from "../context.js";
import { named } from "../elements.js";
import {
  API_SERVER_PORT,
  CLUSTER_OUTPUT,
  CONTROL_PLANE_ENDPOINT_OUTPUT,
  MACHINES_OUTPUT,
} from "../outputs.js";
import type { VsphereMachine } from "./machine.js";

/** The `machines` and `cluster` outputs (shapes in stacks/outputs.ts). */
export function addVsphereOutputs(
  scope: Construct,
  context: SynthContext,
  datacenterId: string,
  machines: { name: string; role: string; built: VsphereMachine }[],
  endpointHost?: string,
) {
  const perMachine: Record<string, object> = {};
  for (const { name, built } of machines) {
    perMachine[context.literal(name)] = {
      uuid: built.vm.uuid,
      default_ip: built.vm.defaultIpAddress,
      moid: built.vm.moid,
    };
  }
  named(new TerraformOutput(scope, MACHINES_OUTPUT, { value: perMachine }), MACHINES_OUTPUT);
  const controlPlane = machines.find((machine) => machine.role === "control-plane")?.built.vm;
  const apiEndpoint =
    endpointHost !== undefined
      ? `${endpointHost}:${API_SERVER_PORT}`
      : controlPlane === undefined
        ? ""
        : `${controlPlane.defaultIpAddress}:${API_SERVER_PORT}`;
  const cluster = { datacenter_id: datacenterId, api_endpoint: apiEndpoint };
  named(new TerraformOutput(scope, CLUSTER_OUTPUT, { value: cluster }), CLUSTER_OUTPUT);
  if (endpointHost !== undefined) {
    const output = new TerraformOutput(scope, CONTROL_PLANE_ENDPOINT_OUTPUT, { value: endpointHost });
    named(output, CONTROL_PLANE_ENDPOINT_OUTPUT);
  }
}
