import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc/index.js";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway/index.js";
import { Route } from "@cdktf/provider-aws/lib/route/index.js";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table/index.js";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association/index.js";
import { Subnet } from "@cdktf/provider-aws/lib/subnet/index.js";
import { Vpc } from "@cdktf/provider-aws/lib/vpc/index.js";
import { Construct } from "constructs";
import type { SubnetSpec } from "../../src/api/provider-aws.js";
import type { AwsClusterModel } from "../../src/model/types.js";
import { cidrContains, defaultSubnetCidr, formatIpv4Cidr, type Ipv4Cidr, parseIpv4Cidr } from "../cidr.js";
import { literalMap, type SynthContext } from "../context.js";
import { named, objectRef } from "../elements.js";
import { clusterTags } from "../tags.js";

export const DEFAULT_VPC_CIDR = "10.0.0.0/16";
const NETWORK_PATH = "spec.providerSpec.value.networkSpec";

/** A subnet machines can be placed in: created by the stack, or an existing one referenced by id. */
export interface ClusterSubnet {
  /** A token (created) or a literal marker (existing id). */
  id: string;
  /** Raw zone name from the spec, when known. */
  availabilityZone?: string;
  isPublic: boolean;
  /** Whether instances launched here get a public IP by default: known only for subnets the stack creates. */
  mapsPublicIpOnLaunch?: boolean;
  /** The CIDR as a token: known only for subnets the stack creates. */
  cidrBlock?: string;
}

/**
 * The cluster's network. A new VPC gets its subnets (the spec's, or one
 * public /24 in zone <region>a), an internet gateway and a public route table
 * when any subnet is public. An existing VPC (networkSpec.vpc.id) and its
 * subnets are only referenced: the stack never creates or destroys them.
 */
export class AwsNetwork extends Construct {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly subnets: ClusterSubnet[] = [];

  constructor(
    scope: Construct,
    private readonly context: SynthContext,
    private readonly model: AwsClusterModel,
  ) {
    super(scope, "network");
    const existingVpcId = model.spec.networkSpec?.vpc?.id;
    if (existingVpcId !== undefined) {
      const vpc = named(new DataAwsVpc(this, "vpc", { id: context.literal(existingVpcId) }), "cluster");
      this.vpcId = vpc.id;
      this.vpcCidr = vpc.cidrBlock;
      this.referenceExistingSubnets();
    } else {
      const vpc = this.createVpc();
      this.vpcId = vpc.id;
      this.vpcCidr = vpc.cidrBlock;
    }
  }

  private get clusterRef() {
    return objectRef("Cluster", this.model.namespace, this.model.name);
  }

  private referenceExistingSubnets() {
    (this.model.spec.networkSpec?.subnets ?? []).forEach((spec, index) => {
      if (spec.id === undefined) {
        this.context.problems.add(
          this.clusterRef,
          `${NETWORK_PATH}.subnets[${index}].id`,
          "required when networkSpec.vpc.id names an existing VPC (clusterform creates no subnets in a VPC it does not manage)",
        );
        return;
      }
      this.subnets.push({
        id: this.context.literal(spec.id),
        availabilityZone: spec.availabilityZone,
        isPublic: spec.isPublic ?? false,
      });
    });
  }

  private createVpc() {
    const vpcSpec = this.model.spec.networkSpec?.vpc;
    const cidrText = vpcSpec?.cidrBlock ?? DEFAULT_VPC_CIDR;
    const cidr = parseIpv4Cidr(cidrText);
    if (cidr === undefined) {
      this.context.problems.add(
        this.clusterRef,
        `${NETWORK_PATH}.vpc.cidrBlock`,
        `"${cidrText}" is not an IPv4 CIDR such as 10.0.0.0/16`,
      );
    }
    const vpcCidr = cidr ?? (parseIpv4Cidr(DEFAULT_VPC_CIDR) as Ipv4Cidr);
    const vpc = named(
      new Vpc(this, "vpc", {
        cidrBlock: this.context.literal(formatIpv4Cidr(vpcCidr)),
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: literalMap(this.context, clusterTags(this.model, `${this.model.name}-vpc`, vpcSpec?.tags)),
      }),
      "cluster",
    );
    const specs = this.subnetSpecs(vpcCidr);
    const created = specs.map(({ spec, cidr }) => this.createSubnet(vpc.id, spec, cidr));
    const publicSubnets = created.filter((subnet) => subnet.isPublic);
    if (publicSubnets.length > 0) this.routePublicSubnets(vpc.id, publicSubnets);
    return vpc;
  }

  /** The spec's subnets with their parsed CIDRs; problems for the ones that cannot be created. */
  private subnetSpecs(vpcCidr: Ipv4Cidr): { spec: SubnetSpec; cidr: Ipv4Cidr }[] {
    const listed = this.model.spec.networkSpec?.subnets ?? [];
    if (listed.length === 0) {
      const zone = `${this.model.spec.region}a`;
      return [{ spec: { isPublic: true, availabilityZone: zone }, cidr: defaultSubnetCidr(vpcCidr) }];
    }
    const seen = new Set<string>();
    const usable: { spec: SubnetSpec; cidr: Ipv4Cidr }[] = [];
    listed.forEach((spec, index) => {
      const path = `${NETWORK_PATH}.subnets[${index}]`;
      if (spec.id !== undefined) {
        this.context.problems.add(
          this.clusterRef,
          `${path}.id`,
          "an existing subnet needs an existing VPC: set networkSpec.vpc.id too",
        );
        return;
      }
      const cidr = spec.cidrBlock === undefined ? undefined : parseIpv4Cidr(spec.cidrBlock);
      if (cidr === undefined || !cidrContains(vpcCidr, cidr)) {
        const why = `"${spec.cidrBlock ?? ""}" must be an IPv4 CIDR inside the VPC's ${formatIpv4Cidr(vpcCidr)}`;
        this.context.problems.add(this.clusterRef, `${path}.cidrBlock`, why);
        return;
      }
      const text = formatIpv4Cidr(cidr);
      if (seen.has(text)) {
        this.context.problems.add(this.clusterRef, `${path}.cidrBlock`, `${text} is listed twice`);
        return;
      }
      seen.add(text);
      usable.push({ spec, cidr });
    });
    return usable;
  }

  private createSubnet(vpcId: string, spec: SubnetSpec, cidr: Ipv4Cidr) {
    const cidrText = formatIpv4Cidr(cidr);
    const isPublic = spec.isPublic ?? false;
    const name = `${this.model.name}-subnet-${isPublic ? "public" : "private"}-${cidrText}`;
    const subnet = named(
      new Subnet(this, subnetLogicalId(cidr), {
        vpcId,
        cidrBlock: this.context.literal(cidrText),
        availabilityZone:
          spec.availabilityZone === undefined ? undefined : this.context.literal(spec.availabilityZone),
        mapPublicIpOnLaunch: isPublic,
        tags: literalMap(this.context, clusterTags(this.model, name, spec.tags)),
      }),
      subnetLogicalId(cidr),
    );
    const created = {
      id: subnet.id,
      cidrBlock: subnet.cidrBlock,
      availabilityZone: spec.availabilityZone,
      isPublic,
      mapsPublicIpOnLaunch: isPublic,
      cidr,
    };
    this.subnets.push(created);
    return created;
  }

  private routePublicSubnets(vpcId: string, publicSubnets: { id: string; cidr: Ipv4Cidr }[]) {
    const tags = (name: string) =>
      literalMap(this.context, clusterTags(this.model, `${this.model.name}-${name}`));
    const gateway = named(new InternetGateway(this, "igw", { vpcId, tags: tags("igw") }), "cluster");
    const table = named(new RouteTable(this, "public-rt", { vpcId, tags: tags("rt-public") }), "public");
    named(
      new Route(this, "public-default-route", {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        gatewayId: gateway.id,
      }),
      "public_default",
    );
    for (const subnet of publicSubnets) {
      const id = subnetLogicalId(subnet.cidr);
      named(
        new RouteTableAssociation(this, `rta-${id}`, { subnetId: subnet.id, routeTableId: table.id }),
        id,
      );
    }
  }
}

/** Subnets are keyed by CIDR (unique within a VPC), so reordering the spec's list changes no address. */
function subnetLogicalId(cidr: Ipv4Cidr): string {
  return `subnet_${formatIpv4Cidr(cidr).replace(/[./]/g, "_")}`;
}
