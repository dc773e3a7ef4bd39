import { describe, expect, it } from "vitest";
import { atLeastMinor, compareKubeVersions, parseKubeVersion } from "./kube-version.js";

describe("parseKubeVersion", () => {
  it("reads Cluster API's plain versions and a leading v, and prints kubeadm's form", () => {
    expect(parseKubeVersion("1.13.6")).toEqual({ major: 1, minor: 13, patch: 6, text: "v1.13.6" });
    expect(parseKubeVersion("v1.31.0-rc.1")?.text).toBe("v1.31.0-rc.1");
  });

  it("refuses anything that is not MAJOR.MINOR.PATCH", () => {
    for (const bad of ["1.13", "latest", "1.13.6 ", "01.13.6", "1.13.x", "", "1.13.6;reboot"]) {
      expect(parseKubeVersion(bad)).toBeUndefined();
    }
  });

  it("compares numerically, not as text", () => {
    const v = (text: string) => parseKubeVersion(text) ?? expect.fail(text);
    expect(compareKubeVersions(v("1.9.0"), v("1.13.0"))).toBeLessThan(0);
    expect(compareKubeVersions(v("1.13.10"), v("1.13.6"))).toBeGreaterThan(0);
    expect(compareKubeVersions(v("1.13.6"), v("v1.13.6"))).toBe(0);
    expect(atLeastMinor(v("1.26.0"), 1, 26)).toBe(true);
    expect(atLeastMinor(v("1.25.9"), 1, 26)).toBe(false);
  });
});
