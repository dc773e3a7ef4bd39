// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform template syntax in plain strings is what these values are about.
import { describe, expect, it } from "vitest";
import { cidrContains, defaultSubnetCidr, formatIpv4Cidr, parseIpv4Cidr } from "./cidr.js";

describe("IPv4 CIDRs", () => {
  it.each(["10.0.0.0/16", "192.168.1.0/24", "0.0.0.0/0", "10.1.2.3/32"])("parses and formats %s", (text) => {
    const cidr = parseIpv4Cidr(text);
    expect(cidr && formatIpv4Cidr(cidr)).toBe(text);
  });

  it.each(["10.0.0.1/16", "10.0.0.0/33", "256.0.0.0/8", "10.0.0/16", "010.0.0.0/8", "10.0.0.0", "${x}/16"])(
    "rejects %s",
    (text) => {
      expect(parseIpv4Cidr(text)).toBeUndefined();
    },
  );

  it("knows containment and picks the first /24 as the default subnet", () => {
    const vpc = parseIpv4Cidr("10.20.0.0/16");
    const inside = parseIpv4Cidr("10.20.5.0/24");
    const outside = parseIpv4Cidr("10.21.0.0/24");
    if (!vpc || !inside || !outside) throw new Error("test CIDRs must parse");
    expect(cidrContains(vpc, inside)).toBe(true);
    expect(cidrContains(vpc, outside)).toBe(false);
    expect(formatIpv4Cidr(defaultSubnetCidr(vpc))).toBe("10.20.0.0/24");
    const small = parseIpv4Cidr("10.0.0.0/26");
    expect(small && formatIpv4Cidr(defaultSubnetCidr(small))).toBe("10.0.0.0/26");
  });
});
