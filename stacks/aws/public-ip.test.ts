import { describe, expect, it } from "vitest";
import { publicIpSetting } from "./machine.js";

describe("publicIpSetting", () => {
  it("leaves the subnet's default alone when the spec agrees with it or says nothing", () => {
    expect(publicIpSetting(true, true)).toBeUndefined();
    expect(publicIpSetting(false, false)).toBeUndefined();
    expect(publicIpSetting(undefined, true)).toBeUndefined();
  });

  it("sets associate_public_ip_address when the spec differs from the subnet or the subnet is not ours", () => {
    expect(publicIpSetting(false, true)).toBe(false);
    expect(publicIpSetting(true, false)).toBe(true);
    expect(publicIpSetting(true, undefined)).toBe(true);
  });
});
