import { Lb } from "@cdktf/provider-aws/lib/lb/index.js";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener/index.js";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group/index.js";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment/index.js";
import { Construct } from "constructs";
import type { AwsClusterModel } from "../../src/model/types.js";
import { sha256 } from "../../src/util/hash.js";
import { literalMap, type SynthContext } from "../context.js";
import { named } from "../elements.js";
import { machineLogicalId } from "../names.js";
import { API_SERVER_PORT } from "../outputs.js";
import { clusterTags } from "../tags.js";
import type { AwsMachineInstance } from "./machine.js";
import type { AwsNetwork, ClusterSubnet } from "./network.js";

/** AWS caps load balancer and target group names at 32 characters. */
const ELB_NAME_MAX = 32;

/**
 * The API endpoint in mode LoadBalancer (the default), as Cluster API
 * provider AWS made it: a network load balancer on TCP 6443 forwarding to a
 * target group of the control-plane instances. Its DNS name is the endpoint.
 * The control-plane security group already admits TCP 6443 from anywhere
 * (an NLB keeps the client's address, so the instances see the clients).
 */
export class ApiLoadBalancer extends Construct {
  readonly dnsName: string;
  private readonly targetGroup: LbTargetGroup;

  constructor(scope: Construct, context: SynthContext, model: AwsClusterModel, network: AwsNetwork) {
    super(scope, "api-load-balancer");
    const subnets = loadBalancerSubnets(network.subnets);
    const internal = !subnets.some((subnet) => subnet.isPublic);
    const name = elbName(model, "api");
    const tags = literalMap(context, clusterTags(model, name));
    const lb = named(
      new Lb(this, "lb", {
        name: context.literal(name),
        loadBalancerType: "network",
        internal,
        subnets: subnets.map((subnet) => subnet.id),
        tags,
      }),
      "control_plane",
    );
    this.targetGroup = named(
      new LbTargetGroup(this, "target-group", {
        name: context.literal(elbName(model, "cp")),
        port: API_SERVER_PORT,
        protocol: "TCP",
        targetType: "instance",
        vpcId: network.vpcId,
        healthCheck: { protocol: "TCP", port: "traffic-port" },
        tags,
      }),
      "control_plane",
    );
    named(
      new LbListener(this, "listener", {
        loadBalancerArn: lb.arn,
        port: API_SERVER_PORT,
        protocol: "TCP",
        defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
        tags,
      }),
      "control_plane",
    );
    this.dnsName = lb.dnsName;
  }

  /** One attachment per control-plane Machine, keyed by its name like every machine resource. */
  register(machineName: string, machine: AwsMachineInstance): void {
    const id = machineLogicalId(machineName);
    named(
      new LbTargetGroupAttachment(this, id, {
        targetGroupArn: this.targetGroup.arn,
        targetId: machine.instance.id,
        port: API_SERVER_PORT,
      }),
      id,
    );
  }
}

/**
 * Public subnets when the cluster has any (an internet-facing load balancer),
 * else all its subnets (internal); one per availability zone, as a load
 * balancer takes at most one subnet per zone. A subnet whose zone the spec
 * does not name is kept: its zone is only known to AWS.
 */
export function loadBalancerSubnets(subnets: readonly ClusterSubnet[]): ClusterSubnet[] {
  const publicOnes = subnets.filter((subnet) => subnet.isPublic);
  const candidates = publicOnes.length > 0 ? publicOnes : [...subnets];
  const zones = new Set<string>();
  return candidates.filter((subnet) => {
    if (subnet.availabilityZone === undefined) return true;
    if (zones.has(subnet.availabilityZone)) return false;
    zones.add(subnet.availabilityZone);
    return true;
  });
}

/**
 * `cf-<cluster>-<hash6>-<suffix>` within 32 characters: letters, digits and
 * hyphens only (AWS's rule for both names), the hash of namespace/name keeps
 * names of different clusters apart when the readable part is cut.
 */
export function elbName(model: { namespace: string; name: string }, suffix: string): string {
  const hash = sha256(`${model.namespace}/${model.name}`).slice(0, 6);
  const room = ELB_NAME_MAX - "cf-".length - hash.length - suffix.length - 2;
  const readable = model.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, room)
    .replace(/^-+|-+$/g, "");
  return ["cf", readable, hash, suffix].filter((part) => part !== "").join("-");
}
