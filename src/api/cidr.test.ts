import { describe, expect, it } from "vitest";
import { cidrContains, formatCidr, parseCidr, parseIpAddress } from "./cidr.js";

const cidr = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
};

describe("parseCidr", () => {
  it.each([
    "10.0.0.0/16",
    "0.0.0.0/0",
    "100.64.0.0/13",
    "fd00::/64",
    "::/0",
    "2001:db8::/32",
    "::ffff:10.0.0.0/104",
  ])("accepts %s", (text) => {
    expect(parseCidr(text).ok).toBe(true);
  });

  it.each([
    ["10.0.0.0", "is not a valid CIDR"],
    ["10.0.0/16", "is not a valid CIDR"],
    ["010.0.0.0/16", "is not a valid CIDR"],
    ["256.0.0.0/8", "is not a valid CIDR"],
    ["10.0.0.0/33", "prefix longer than 32 bits"],
    ["10.0.0.0/016", "is not a valid CIDR"],
    ["fd00::1::/64", "is not a valid CIDR"],
    ["fd00:0:0:0:0:0:0:0:0/64", "is not a valid CIDR"],
    ["fe80::1%eth0/64", "is not a valid CIDR"],
    ["fd00::/129", "prefix longer than 128 bits"],
    [" 10.0.0.0/16", "is not a valid CIDR"],
  ])("rejects %s", (text, message) => {
    const parsed = parseCidr(text);
    expect(parsed.ok ? "" : parsed.message).toContain(message);
  });

  it("rejects host bits in a network and suggests the network address", () => {
    expect(parseCidr("10.0.0.1/16")).toEqual({
      ok: false,
      message: '"10.0.0.1/16" has host bits set: did you mean 10.0.0.0/16?',
    });
    expect(parseCidr("fd00::1/64")).toEqual({
      ok: false,
      message: '"fd00::1/64" has host bits set: did you mean fd00::/64?',
    });
  });

  it("allows host bits in an interface address when asked", () => {
    expect(parseCidr("192.168.1.10/24", { allowHostBits: true }).ok).toBe(true);
  });
});

describe("parseIpAddress", () => {
  it("reads IPv4, compressed IPv6 and IPv4-embedded IPv6 to the same numbers as their full forms", () => {
    expect(parseIpAddress("10.0.0.1")?.value).toBe(0x0a000001n);
    expect(parseIpAddress("2001:db8::1")?.value).toBe(parseIpAddress("2001:0db8:0:0:0:0:0:0001")?.value);
    expect(parseIpAddress("::ffff:1.2.3.4")?.value).toBe(parseIpAddress("::ffff:102:304")?.value);
  });
});

describe("cidrContains", () => {
  it("holds for a subnet inside its VPC and fails outside it or across families", () => {
    expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.0.1.0/24"))).toBe(true);
    expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.1.0.0/24"))).toBe(false);
    expect(cidrContains(cidr("10.0.1.0/24"), cidr("10.0.0.0/16"))).toBe(false);
    expect(cidrContains(cidr("::/0"), cidr("10.0.0.0/8"))).toBe(false);
  });
});

describe("formatCidr", () => {
  it("compresses the longest run of zero groups, the first on a tie (RFC 5952)", () => {
    expect(formatCidr(cidr("2001:0db8:0000:0000:0001:0000:0000:0000/128"))).toBe("2001:db8:0:0:1::/128");
    expect(formatCidr(cidr("2001:db8:0:0:1:0:0:1/128"))).toBe("2001:db8::1:0:0:1/128");
    expect(formatCidr(cidr("::/0"))).toBe("::/0");
  });
});
