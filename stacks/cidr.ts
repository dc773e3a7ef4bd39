import { type Cidr, cidrContains, formatCidr, parseCidr } from "../src/api/cidr.js";

// The stacks speak IPv4 only (AWS VPC and subnet CIDR blocks); parsing and
// arithmetic are the API layer's, so a CIDR the validator accepts is one the
// stack understands.
export type Ipv4Cidr = Cidr & { family: 4 };
export { cidrContains, formatCidr as formatIpv4Cidr };

export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const parsed = parseCidr(text);
  return parsed.ok && parsed.value.family === 4 ? (parsed.value as Ipv4Cidr) : undefined;
}

/**
 * The subnet clusterform creates when the spec lists none: the first /24 of
 * the VPC (or the whole VPC when it is a /24 or smaller).
 */
export function defaultSubnetCidr(vpc: Ipv4Cidr): Ipv4Cidr {
  return { ...vpc, prefix: Math.max(vpc.prefix, 24) };
}
