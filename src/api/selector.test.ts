import { describe, expect, it } from "vitest";
import { checkSelector, explainMismatch, selectorMatches, selectorToString } from "./selector.js";

describe("selectorMatches", () => {
  const selector = {
    matchLabels: { set: "node" },
    matchExpressions: [
      { key: "zone", operator: "In", values: ["a", "b"] },
      { key: "tier", operator: "NotIn", values: ["db"] },
      { key: "ready", operator: "Exists" },
      { key: "gpu", operator: "DoesNotExist" },
    ],
  };

  it("matches labels that satisfy every label and expression", () => {
    expect(selectorMatches(selector, { set: "node", zone: "a", ready: "", tier: "web" })).toBe(true);
  });

  it.each([
    [{ zone: "a", ready: "" }, "missing set=node"],
    [{ set: "cp", zone: "a", ready: "" }, "set=cp where the selector wants set=node"],
    [{ set: "node", zone: "c", ready: "" }, "fails zone in (a,b)"],
    [{ set: "node", zone: "a", ready: "", tier: "db" }, "fails tier notin (db)"],
    [{ set: "node", zone: "a" }, "fails ready"],
    [{ set: "node", zone: "a", ready: "", gpu: "1" }, "fails !gpu"],
  ])("explains why %j does not match", (labels, reason) => {
    expect(explainMismatch(selector, labels)).toBe(reason);
  });
});

describe("checkSelector", () => {
  it("rejects an empty selector, unknown operators and misplaced values", () => {
    expect(checkSelector({}, "spec.selector").map((p) => p.path)).toEqual(["spec.selector"]);
    const problems = checkSelector(
      {
        matchExpressions: [
          { key: "a", operator: "Equals", values: ["x"] },
          { key: "b", operator: "In" },
          { key: "c", operator: "Exists", values: ["x"] },
        ],
      },
      "spec.selector",
    );
    expect(problems.map((p) => p.path)).toEqual([
      "spec.selector.matchExpressions[0].operator",
      "spec.selector.matchExpressions[1].values",
      "spec.selector.matchExpressions[2].values",
    ]);
  });
});

describe("selectorToString", () => {
  it("prints the kubectl form with sorted labels", () => {
    expect(
      selectorToString({
        matchLabels: { set: "node", "cluster.k8s.io/cluster-name": "c" },
        matchExpressions: [{ key: "gpu", operator: "DoesNotExist" }],
      }),
    ).toBe("cluster.k8s.io/cluster-name=c,set=node,!gpu");
  });
});
