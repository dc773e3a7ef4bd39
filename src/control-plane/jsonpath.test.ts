import { describe, expect, it } from "vitest";
import { evaluateJsonPath } from "./jsonpath.js";
import { humanDuration } from "./table.js";

const object = {
  spec: { replicas: 3, items: [{ name: "a" }, { name: "b" }] },
  status: {
    conditions: [
      { type: "Ready", status: "True" },
      { type: "Synced", status: "False" },
    ],
  },
};

describe("printer-column JSONPath subset", () => {
  it("follows fields, indices, wildcards and filters", () => {
    expect(evaluateJsonPath(object, ".spec.replicas")).toEqual([3]);
    expect(evaluateJsonPath(object, ".spec.items[1].name")).toEqual(["b"]);
    expect(evaluateJsonPath(object, "{.spec.items[*].name}")).toEqual(["a", "b"]);
    expect(evaluateJsonPath(object, '.status.conditions[?(@.type=="Ready")].status')).toEqual(["True"]);
    expect(evaluateJsonPath(object, ".spec.missing.deeper")).toEqual([]);
  });
});

describe("ages as kubectl prints them", () => {
  it("uses kubectl's short duration format", () => {
    expect(humanDuration(45_000)).toBe("45s");
    expect(humanDuration(192_000)).toBe("3m12s");
    expect(humanDuration(5 * 3600_000)).toBe("5h");
    expect(humanDuration(12 * 24 * 3600_000)).toBe("12d");
  });
});

describe("escaped dots in field names", () => {
  it("reads a label whose key contains dots, as printer columns write it", () => {
    const object = { metadata: { labels: { "cluster.k8s.io/cluster-name": "c1" } } };
    expect(evaluateJsonPath(object, ".metadata.labels.cluster\\.k8s\\.io/cluster-name")).toEqual(["c1"]);
  });
});

describe("JSONPath from CRDs is parsed in linear time", () => {
  it("handles adversarial expressions of a megabyte quickly", () => {
    const started = performance.now();
    expect(evaluateJsonPath(object, `.spec${"[".repeat(1_000_000)}`)).toEqual([
      { replicas: 3, items: object.spec.items },
    ]);
    expect(evaluateJsonPath(object, `.status.conditions[?(@.type==${" ".repeat(1_000_000)}x]`)).toEqual([]);
    expect(evaluateJsonPath(object, `${".a".repeat(200_000)}`)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("reads filters with either quote or none, and !=", () => {
    expect(evaluateJsonPath(object, ".status.conditions[?(@.type=='Ready')].status")).toEqual(["True"]);
    expect(evaluateJsonPath(object, ".status.conditions[?(@.type == Synced)].status")).toEqual(["False"]);
    expect(evaluateJsonPath(object, '.status.conditions[?(@.type!="Ready")].type')).toEqual(["Synced"]);
  });
});
