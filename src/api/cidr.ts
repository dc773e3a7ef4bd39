// An exact IPv4/IPv6 address and CIDR parser: no leading zeros in IPv4
// octets, no zone ids, at most one "::", prefixes within the family's width.

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface Cidr extends IpAddress {
  prefix: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const OCTET = /^(0|[1-9][0-9]{0,2})$/;
const HEXTET = /^[0-9A-Fa-f]{1,4}$/;
const PREFIX = /^(0|[1-9][0-9]{0,2})$/;

export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.includes(":")) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

function parseIpv4(text: string): bigint | undefined {
  const octets = text.split(".");
  if (octets.length !== 4) return undefined;
  let value = 0n;
  for (const octet of octets) {
    if (!OCTET.test(octet) || Number(octet) > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = hextets(halves[0] ?? "", halves.length === 1);
  const tail = halves.length === 2 ? hextets(halves[1] ?? "", true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/** Hextets of one side of "::"; an embedded IPv4 address may end the last side. */
function hextets(side: string, mayEndWithIpv4: boolean): number[] | undefined {
  if (side === "") return [];
  const parts = side.split(":");
  const groups: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (mayEndWithIpv4 && index === parts.length - 1 && part.includes(".")) {
      const v4 = parseIpv4(part);
      if (v4 === undefined) return undefined;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (HEXTET.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

const width = (family: 4 | 6) => (family === 4 ? 32 : 128);

function hostMask(family: 4 | 6, prefix: number): bigint {
  return (1n << BigInt(width(family) - prefix)) - 1n;
}

/**
 * Parses "10.0.0.0/16" or "fd00::/64". A network CIDR must have its host bits
 * clear; an interface address ("192.168.1.10/24") may set them.
 */
export function parseCidr(text: string, options: { allowHostBits?: boolean } = {}): Parsed<Cidr> {
  const slash = text.indexOf("/");
  const invalid = `"${text}" is not a valid CIDR: write an address and a prefix length, e.g. 10.0.0.0/16`;
  if (slash < 0) return { ok: false, message: invalid };
  const address = parseIpAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === undefined || !PREFIX.test(prefixText)) return { ok: false, message: invalid };
  const prefix = Number(prefixText);
  if (prefix > width(address.family)) {
    return { ok: false, message: `"${text}" has a prefix longer than ${width(address.family)} bits` };
  }
  const cidr: Cidr = { ...address, prefix };
  if (!options.allowHostBits && (address.value & hostMask(address.family, prefix)) !== 0n) {
    const network = { ...cidr, value: address.value & ~hostMask(address.family, prefix) };
    return { ok: false, message: `"${text}" has host bits set: did you mean ${formatCidr(network)}?` };
  }
  return { ok: true, value: cidr };
}

/** True when every address of `inner` lies within `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  const mask = ~hostMask(outer.family, outer.prefix);
  return (outer.value & mask) === (inner.value & mask);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpAddress(cidr)}/${cidr.prefix}`;
}

export function formatIpAddress(address: IpAddress): string {
  if (address.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 0xffn)).join(".");
  }
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) =>
    Number((address.value >> shift) & 0xffffn),
  );
  const [start, length] = longestZeroRun(groups);
  const hex = (list: number[]) => list.map((group) => group.toString(16)).join(":");
  if (length < 2) return hex(groups);
  return `${hex(groups.slice(0, start))}::${hex(groups.slice(start + length))}`;
}

function longestZeroRun(groups: number[]): [number, number] {
  let best: [number, number] = [0, 0];
  let runStart = -1;
  for (let index = 0; index <= groups.length; index++) {
    if (index < groups.length && groups[index] === 0) {
      if (runStart < 0) runStart = index;
    } else if (runStart >= 0) {
      if (index - runStart > best[1]) best = [runStart, index - runStart];
      runStart = -1;
    }
  }
  return best;
}
