import { describe, expect, it } from "vitest";
import { collectWorkloadOverride, parseWorkloadOverride } from "./overrides.js";

describe("--workload-kubeconfig-override", () => {
  it("reads <namespace>/<cluster>=<file> and collects repeats", () => {
    expect(parseWorkloadOverride("prod/alpha=/etc/kube/alpha.conf")).toEqual({
      cluster: "prod/alpha",
      file: "/etc/kube/alpha.conf",
    });
    const both = collectWorkloadOverride("b/y=/y", collectWorkloadOverride("a/x=/x"));
    expect([...both]).toEqual([
      ["a/x", "/x"],
      ["b/y", "/y"],
    ]);
  });

  it.each(["alpha=/f", "prod/alpha", "prod/alpha=", "Prod/alpha=/f"])(
    "refuses %s naming the expected shape",
    (text) => {
      expect(() => parseWorkloadOverride(text)).toThrow(/expected <namespace>\/<cluster>=<kubeconfig file>/);
    },
  );
});
