import {
  checkAmiId,
  checkAvailabilityZone,
  checkInstanceType,
  checkRegion,
  checkTags,
} from "./aws-formats.js";
import { type Cidr, cidrContains, cidrsOverlap, formatCidr, parseCidr } from "./cidr.js";
import { joinPath, type PathError } from "./field-path.js";
import type { AWSClusterProviderSpec, AWSMachineProviderSpec, AWSResourceReference } from "./provider-aws.js";

// AWS provider specs beyond their schema. Everything the stack needs to hold
// is checked here, so a stack is never half-built from a spec it cannot use.

/** The VPC clusterform creates when networkSpec.vpc names neither id nor cidrBlock. */
export const DEFAULT_VPC_CIDR = "10.0.0.0/16";
/** AWS's own bounds on a subnet's size. */
const SUBNET_PREFIX = { largest: 16, smallest: 28 };

export function checkAwsClusterSpec(spec: AWSClusterProviderSpec, base: string): PathError[] {
  const network = spec.networkSpec;
  const vpcBase = joinPath(base, "networkSpec", "vpc");
  const problems: PathError[] = [
    ...checkRegion(spec.region, joinPath(base, "region")),
    ...checkTags(spec.additionalTags, joinPath(base, "additionalTags")),
    ...checkTags(network?.vpc?.tags, joinPath(vpcBase, "tags")),
  ];
  const existingVpc = network?.vpc?.id !== undefined;
  if (existingVpc && network?.vpc?.cidrBlock !== undefined) {
    problems.push({ path: vpcBase, message: "set id (an existing VPC) or cidrBlock (a new one), not both" });
  }
  const vpc = existingVpc
    ? undefined
    : checkVpcCidr(network?.vpc?.cidrBlock, joinPath(vpcBase, "cidrBlock"), problems);
  const seen: { cidr: Cidr; index: number }[] = [];
  for (const [index, subnet] of (network?.subnets ?? []).entries()) {
    const path = joinPath(base, "networkSpec", "subnets", index);
    problems.push(...checkTags(subnet.tags, joinPath(path, "tags")));
    if (subnet.availabilityZone !== undefined) {
      problems.push(
        ...checkAvailabilityZone(subnet.availabilityZone, spec.region, joinPath(path, "availabilityZone")),
      );
    }
    if (subnet.id !== undefined && subnet.cidrBlock !== undefined) {
      problems.push({ path, message: "set id (an existing subnet) or cidrBlock (a new one), not both" });
      continue;
    }
    if (subnet.id === undefined && subnet.cidrBlock === undefined) {
      problems.push({ path, message: "set id (an existing subnet) or cidrBlock (a new one)" });
      continue;
    }
    if (existingVpc && subnet.id === undefined) {
      problems.push({
        path: joinPath(path, "id"),
        message:
          "required when networkSpec.vpc.id names an existing VPC (clusterform creates no subnets in a VPC it does not manage)",
      });
      continue;
    }
    if (!existingVpc && subnet.id !== undefined) {
      problems.push({
        path: joinPath(path, "id"),
        message: "an existing subnet needs an existing VPC: set networkSpec.vpc.id too",
      });
      continue;
    }
    if (subnet.cidrBlock === undefined) continue;
    const cidr = checkSubnetCidr(subnet.cidrBlock, vpc, joinPath(path, "cidrBlock"), problems);
    if (!cidr) continue;
    const earlier = seen.find((other) => cidrsOverlap(other.cidr, cidr));
    if (earlier) {
      problems.push({
        path: joinPath(path, "cidrBlock"),
        message: `${formatCidr(cidr)} overlaps subnets[${earlier.index}] (${formatCidr(earlier.cidr)})`,
      });
    }
    seen.push({ cidr, index });
  }
  return problems;
}

function checkVpcCidr(text: string | undefined, path: string, problems: PathError[]): Cidr | undefined {
  const parsed = parseCidr(text ?? DEFAULT_VPC_CIDR);
  if (!parsed.ok) {
    problems.push({ path, message: parsed.message });
    return undefined;
  }
  if (parsed.value.family !== 4 || parsed.value.prefix < 16 || parsed.value.prefix > 28) {
    problems.push({ path, message: "a VPC needs an IPv4 CIDR between /16 and /28" });
    return undefined;
  }
  return parsed.value;
}

function checkSubnetCidr(
  text: string,
  vpc: Cidr | undefined,
  path: string,
  problems: PathError[],
): Cidr | undefined {
  const parsed = parseCidr(text);
  if (!parsed.ok) {
    problems.push({ path, message: parsed.message });
    return undefined;
  }
  const cidr = parsed.value;
  if (cidr.family !== 4) {
    problems.push({
      path,
      message: `${text} is IPv6: the VPC is IPv4, and clusterform creates IPv4 subnets only`,
    });
    return undefined;
  }
  if (cidr.prefix > SUBNET_PREFIX.smallest || cidr.prefix < SUBNET_PREFIX.largest) {
    problems.push({ path, message: `${text} is not a valid subnet size: AWS subnets are /16 to /28` });
    return undefined;
  }
  if (vpc && !cidrContains(vpc, cidr)) {
    problems.push({ path, message: `${text} lies outside the VPC's ${formatCidr(vpc)}` });
    return undefined;
  }
  return cidr;
}

export function checkAwsMachineSpec(spec: AWSMachineProviderSpec, base: string): PathError[] {
  const problems: PathError[] = [
    ...checkReference(spec.ami, joinPath(base, "ami"), "an AMI id"),
    ...checkInstanceType(spec.instanceType, joinPath(base, "instanceType")),
    ...checkTags(spec.additionalTags, joinPath(base, "additionalTags")),
  ];
  if (spec.ami.id !== undefined && spec.ami.filters === undefined) {
    problems.push(...checkAmiId(spec.ami.id, joinPath(base, "ami", "id")));
  }
  if (spec.subnet !== undefined)
    problems.push(...checkReference(spec.subnet, joinPath(base, "subnet"), "a subnet id"));
  for (const [index, group] of (spec.additionalSecurityGroups ?? []).entries()) {
    problems.push(
      ...checkReference(group, joinPath(base, "additionalSecurityGroups", index), "a security group id"),
    );
  }
  if (spec.availabilityZone !== undefined) {
    problems.push(
      ...checkAvailabilityZone(spec.availabilityZone, undefined, joinPath(base, "availabilityZone")),
    );
  }
  return problems;
}

/** CAPA's AWSResourceReference: exactly one of id and filters. */
function checkReference(reference: AWSResourceReference, path: string, what: string): PathError[] {
  const hasId = reference.id !== undefined;
  const hasFilters = (reference.filters ?? []).length > 0;
  if (hasId && reference.filters !== undefined) return [{ path, message: "set id or filters, not both" }];
  if (!hasId && !hasFilters) return [{ path, message: `set id (${what}) or filters` }];
  return [];
}
