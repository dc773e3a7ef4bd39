import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami/index.js";
import { DataAwsSecurityGroup } from "@cdktf/provider-aws/lib/data-aws-security-group/index.js";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet/index.js";
import { Instance } from "@cdktf/provider-aws/lib/instance/index.js";
import { Fn, Op, type TerraformVariable, Token } from "cdktf";
import { Construct } from "constructs";
import type { AWSMachineProviderSpec, AWSResourceReference } from "../../src/api/provider-aws.js";
import type { AwsClusterModel, MachineModel } from "../../src/model/types.js";
import { bootstrapPayload } from "../bootstrap.js";
import { literalMap, type SynthContext } from "../context.js";
import { named, objectRef } from "../elements.js";
import { machineLogicalId } from "../names.js";
import { machineTags } from "../tags.js";
import type { AwsNetwork } from "./network.js";
import type { ClusterSecurityGroups } from "./security-groups.js";
import { pickClusterSubnet } from "./subnet-choice.js";

const SPEC_PATH = "spec.providerSpec.value";
type AwsMachine = MachineModel<AWSMachineProviderSpec>;

/** AWS takes at most 16,384 bytes of user data before base64: 21,848 base64 characters. */
export const MAX_USER_DATA_BASE64_LENGTH = 4 * Math.ceil(16_384 / 3);

/** How a bootstrapped Machine gets its data and learns the API endpoint. */
export interface MachineBootstrap {
  variable: TerraformVariable;
  /**
   * The endpoint host (a Terraform reference or literal marker), or "own
   * address": this is the init machine in endpoint mode InitMachine, whose
   * fixed private address is the endpoint.
   */
  endpoint: { host: string } | "own-address";
  /**
   * With an emulator endpoint: an instance launched with a fixed private_ip
   * (through an explicit network interface) is reported by moto without its
   * security groups, and the provider's fix-up changes only the interface, so
   * Terraform would plan the same update forever. Ignore that attribute then.
   */
  emulator?: boolean;
}

/**
 * One Machine: an aws_instance plus the data sources its spec's filters need
 * (AMI, subnet, additional security groups). Every address carries the
 * machine's logical id, so machines never share or shift each other's names.
 */
export class AwsMachineInstance extends Construct {
  readonly instance: Instance;
  /** The init machine's fixed private address (endpoint mode InitMachine), a Terraform expression. */
  readonly fixedPrivateIp?: string;
  private readonly logicalId: string;
  private readonly ref: string;

  constructor(
    scope: Construct,
    private readonly context: SynthContext,
    model: AwsClusterModel,
    machine: AwsMachine,
    private readonly network: AwsNetwork,
    groups: ClusterSecurityGroups,
    bootstrap?: MachineBootstrap,
  ) {
    const logicalId = machineLogicalId(machine.name);
    super(scope, logicalId);
    this.logicalId = logicalId;
    this.ref = objectRef("Machine", machine.namespace, machine.name);
    const spec = machine.providerSpec;
    const keyName = spec.keyName ?? model.spec.sshKeyName;
    const ami = this.amiId(spec.ami);
    const placement = this.placement(spec);
    this.fixedPrivateIp =
      bootstrap?.endpoint === "own-address" ? this.lastUsableAddress(placement) : undefined;
    this.instance = named(
      new Instance(this, "instance", {
        ami,
        instanceType: context.literal(spec.instanceType),
        subnetId: placement.subnetId,
        privateIp: this.fixedPrivateIp,
        vpcSecurityGroupIds: [...groups.idsFor(machine.role), ...this.additionalGroupIds(spec)],
        keyName: keyName === undefined ? undefined : context.literal(keyName),
        iamInstanceProfile:
          spec.iamInstanceProfile === undefined ? undefined : context.literal(spec.iamInstanceProfile),
        associatePublicIpAddress: publicIpSetting(spec.publicIP, placement.mapsPublicIpOnLaunch),
        rootBlockDevice: spec.rootDeviceSize === undefined ? undefined : { volumeSize: spec.rootDeviceSize },
        tags: literalMap(context, machineTags(model, machine)),
        ...(bootstrap === undefined ? {} : this.userData(bootstrap, this.fixedPrivateIp)),
      }),
      logicalId,
    );
  }

  /**
   * The init machine's address in endpoint mode InitMachine: the last usable
   * address of its subnet (AWS reserves the broadcast address), computed from
   * the subnet so the init machine's own user data can name it without
   * depending on the instance. A replaced init machine gets the same address.
   */
  private lastUsableAddress(placement: { subnetId: string; cidrBlock?: string }): string {
    const cidr =
      placement.cidrBlock ??
      named(
        new DataAwsSubnet(this, "endpoint-subnet", { id: placement.subnetId }),
        `${this.logicalId}_endpoint`,
      ).cidrBlock;
    return Token.asString(Fn.cidrhost(cidr, -2));
  }

  /**
   * Gzipped, base64 user data (cloud-init reads gzip) with the endpoint
   * filled in by Terraform. Ignored after creation: new bootstrap data never
   * replaces, stops or starts a running instance. A precondition turns data
   * over AWS's limit into an error naming the Machine before any instance exists.
   */
  private userData(bootstrap: MachineBootstrap, ownIp: string | undefined) {
    const host = bootstrap.endpoint === "own-address" ? (ownIp ?? "") : bootstrap.endpoint.host;
    const payload = bootstrapPayload(bootstrap.variable, host);
    return {
      userDataBase64: payload,
      userDataReplaceOnChange: false,
      lifecycle: {
        ignoreChanges: [
          "user_data",
          "user_data_base64",
          ...(bootstrap.endpoint === "own-address" && bootstrap.emulator ? ["vpc_security_group_ids"] : []),
        ],
        precondition: [
          {
            condition: Op.lte(Fn.lengthOf(payload), MAX_USER_DATA_BASE64_LENGTH),
            errorMessage: this.context.literal(
              `${this.ref}: the bootstrap data is over AWS's 16384-byte user data limit after gzip`,
            ),
          },
        ],
      },
    };
  }

  private amiId(ami: AWSResourceReference): string {
    if (ami.id !== undefined && ami.filters === undefined) return this.context.literal(ami.id);
    if (ami.filters !== undefined && ami.id === undefined) {
      const image = new DataAwsAmi(this, "ami", { mostRecent: true, filter: this.filters(ami) });
      return named(image, this.logicalId).id;
    }
    this.context.problems.add(this.ref, `${SPEC_PATH}.ami`, "set exactly one of id or filters");
    return this.context.literal("");
  }

  private placement(spec: AWSMachineProviderSpec): {
    subnetId: string;
    mapsPublicIpOnLaunch?: boolean;
    cidrBlock?: string;
  } {
    const subnet = spec.subnet;
    if (subnet?.id !== undefined) return { subnetId: this.context.literal(subnet.id) };
    if (subnet?.filters !== undefined) {
      const found = new DataAwsSubnet(this, "subnet", {
        vpcId: this.network.vpcId,
        filter: this.filters(subnet),
      });
      const lookedUp = named(found, this.logicalId);
      return { subnetId: lookedUp.id, cidrBlock: lookedUp.cidrBlock };
    }
    const picked = pickClusterSubnet(this.network.subnets, spec.availabilityZone);
    if (picked !== undefined) {
      return {
        subnetId: picked.id,
        ...(picked.cidrBlock !== undefined ? { cidrBlock: picked.cidrBlock } : {}),
        ...(picked.mapsPublicIpOnLaunch !== undefined
          ? { mapsPublicIpOnLaunch: picked.mapsPublicIpOnLaunch }
          : {}),
      };
    }
    const why =
      spec.availabilityZone === undefined
        ? "the cluster has no subnet to place this machine in; name one with subnet.id"
        : `no subnet of the cluster is in availability zone "${spec.availabilityZone}"; add one to the Cluster's networkSpec.subnets or name subnet.id`;
    this.context.problems.add(this.ref, `${SPEC_PATH}.subnet`, why);
    return { subnetId: this.context.literal("") };
  }

  private additionalGroupIds(spec: AWSMachineProviderSpec): string[] {
    return (spec.additionalSecurityGroups ?? []).map((group, index) => {
      if (group.id !== undefined && group.filters === undefined) return this.context.literal(group.id);
      if (group.filters !== undefined && group.id === undefined) {
        const found = new DataAwsSecurityGroup(this, `sg-${index}`, {
          vpcId: this.network.vpcId,
          filter: this.filters(group),
        });
        return named(found, `${this.logicalId}_sg_${index}`).id;
      }
      this.context.problems.add(
        this.ref,
        `${SPEC_PATH}.additionalSecurityGroups[${index}]`,
        "set exactly one of id or filters",
      );
      return this.context.literal("");
    });
  }

  private filters(reference: AWSResourceReference) {
    return (reference.filters ?? []).map((filter) => ({
      name: this.context.literal(filter.name),
      values: filter.values.map((value) => this.context.literal(value)),
    }));
  }
}

/**
 * associate_public_ip_address only when the subnet's own default differs:
 * setting it makes the provider launch through an explicit network interface,
 * which changes nothing on AWS when the subnet already agrees, but which the
 * AWS emulator reports without the instance's security groups (a perpetual
 * diff on every plan).
 */
export function publicIpSetting(
  publicIP: boolean | undefined,
  subnetDefault: boolean | undefined,
): boolean | undefined {
  if (publicIP === undefined || publicIP === subnetDefault) return undefined;
  return publicIP;
}
