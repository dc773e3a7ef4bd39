import { describe, expect, it } from "vitest";
import { fieldMatcher, labelMatcher } from "./selectors.js";
import type { KubeObject } from "./store.js";

const object: KubeObject = {
  metadata: { name: "a", namespace: "ns", labels: { tier: "front", env: "prod" } },
  involvedObject: { uid: "u1" },
};

describe("label selectors", () => {
  it("matches equality, inequality, set and existence requirements", () => {
    expect(labelMatcher("tier=front,env==prod")(object)).toBe(true);
    expect(labelMatcher("tier!=front")(object)).toBe(false);
    expect(labelMatcher("env in (dev, prod)")(object)).toBe(true);
    expect(labelMatcher("env notin (prod)")(object)).toBe(false);
    expect(labelMatcher("tier,!missing")(object)).toBe(true);
    expect(labelMatcher("missing")(object)).toBe(false);
  });

  it("rejects a selector it cannot parse with 400", () => {
    expect(() => labelMatcher("a b c")).toThrow(/unable to parse requirement/);
  });
});

describe("field selectors", () => {
  it("matches metadata and nested paths like kubectl describe's event search", () => {
    expect(fieldMatcher("metadata.name=a,metadata.namespace=ns")(object)).toBe(true);
    expect(fieldMatcher("involvedObject.uid=u1")(object)).toBe(true);
    expect(fieldMatcher("metadata.name!=a")(object)).toBe(false);
  });
});
