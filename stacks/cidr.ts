/** An IPv4 network in CIDR form, parsed strictly (no leading zeros, host bits zero). */
export interface Ipv4Cidr {
  address: number;
  prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const match = CIDR.exec(text);
  if (!match) return undefined;
  const parts = match.slice(1).map((part) => (/^(0|[1-9]\d*)$/.test(part ?? "") ? Number(part) : Number.NaN));
  const [a, b, c, d, prefix] = parts as [number, number, number, number, number];
  if ([a, b, c, d].some((octet) => !(octet >= 0 && octet <= 255)) || !(prefix >= 0 && prefix <= 32)) {
    return undefined;
  }
  const address = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  if ((address & ~netmask(prefix)) >>> 0 !== 0) return undefined;
  return { address, prefix };
}

export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
  const { address } = cidr;
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}/${cidr.prefix}`;
}

export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.prefix >= outer.prefix && (inner.address & netmask(outer.prefix)) >>> 0 === outer.address;
}

/**
 * The subnet clusterform creates when the spec lists none: the first /24 of
 * the VPC (or the whole VPC when it is a /24 or smaller).
 */
export function defaultSubnetCidr(vpc: Ipv4Cidr): Ipv4Cidr {
  return { address: vpc.address, prefix: Math.max(vpc.prefix, 24) };
}

function netmask(prefix: number): number {
  return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}
