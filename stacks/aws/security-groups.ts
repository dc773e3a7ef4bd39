import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { Construct } from "constructs";
import type { AwsClusterModel } from "../../src/model/types.js";
import { literalMap, type SynthContext } from "../context.js";
import { named } from "../elements.js";
import { API_SERVER_PORT } from "../outputs.js";
import { clusterTags } from "../tags.js";

const ALL_EGRESS = [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }];
const tcpFromAnywhere = (port: number) => ({
  fromPort: port,
  toPort: port,
  protocol: "tcp",
  cidrBlocks: ["0.0.0.0/0"],
});

/**
 * The cluster's two security groups. Control plane: the API server port and
 * SSH from anywhere. Node: all traffic from inside the VPC. Control-plane
 * machines get both, nodes get the node group; all egress is open.
 */
export class ClusterSecurityGroups extends Construct {
  readonly controlPlaneGroup: SecurityGroup;
  readonly nodeGroup: SecurityGroup;

  constructor(
    scope: Construct,
    context: SynthContext,
    model: AwsClusterModel,
    vpcId: string,
    vpcCidr: string,
  ) {
    super(scope, "security-groups");
    const group = (role: string, ingress: object[]) => {
      const name = `${model.namespace}-${model.name}-${role}`;
      return new SecurityGroup(this, role, {
        name: context.literal(name),
        description: context.literal(`clusterform ${role} of ${model.namespace}/${model.name}`),
        vpcId,
        ingress,
        egress: ALL_EGRESS,
        tags: literalMap(context, clusterTags(model, name)),
      });
    };
    this.controlPlaneGroup = named(
      group("controlplane", [tcpFromAnywhere(API_SERVER_PORT), tcpFromAnywhere(22)]),
      "control_plane",
    );
    this.nodeGroup = named(
      group("node", [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: [vpcCidr] }]),
      "node",
    );
  }

  idsFor(role: "control-plane" | "node"): string[] {
    return role === "control-plane" ? [this.controlPlaneGroup.id, this.nodeGroup.id] : [this.nodeGroup.id];
  }
}
