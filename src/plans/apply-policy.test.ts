import { describe, expect, it } from "vitest";
import { APPLY_POLICY_ANNOTATION, decideByPolicy, resolveApplyPolicy } from "./apply-policy.js";
import { summaryOf } from "./test-summary.js";

const create = summaryOf([{ address: "aws_instance.a", action: "create" }]);
const update = summaryOf([{ address: "aws_instance.a", action: "update" }]);
const remove = summaryOf([
  { address: "aws_instance.a", action: "create" },
  { address: "aws_instance.b", action: "delete" },
]);
const replace = summaryOf([{ address: "aws_instance.a", action: "replace", reason: "cannot_update" }]);
const none = summaryOf([]);
const policy = (value?: string, fallback?: Parameters<typeof resolveApplyPolicy>[1]) =>
  resolveApplyPolicy(value === undefined ? {} : { [APPLY_POLICY_ANNOTATION]: value }, fallback);

describe("resolveApplyPolicy", () => {
  it("uses the controller default when the Cluster has no annotation", () => {
    expect(policy()).toEqual({ policy: "auto" });
    expect(policy(undefined, "manual")).toEqual({ policy: "manual" });
  });

  it("holds plans (manual) and says why when the annotation is unknown", () => {
    const resolved = policy("yolo");
    expect(resolved.policy).toBe("manual");
    expect(resolved.problem).toContain('clusterform.io/apply-policy="yolo"');
    expect(decideByPolicy(resolved, create)).toEqual({ action: "hold", reason: resolved.problem });
  });
});

describe("decideByPolicy", () => {
  it("does nothing for a plan without changes, whatever the policy", () => {
    for (const p of ["auto", "auto-additive", "manual", "plan-only"])
      expect(decideByPolicy(policy(p), none).action).toBe("none");
  });

  it("auto applies every plan, deletions and replacements included", () => {
    for (const s of [create, remove, replace]) expect(decideByPolicy(policy("auto"), s).action).toBe("apply");
  });

  it("auto-additive applies creates and in-place updates but holds deletes and replaces, naming them", () => {
    expect(decideByPolicy(policy("auto-additive"), create).action).toBe("apply");
    expect(decideByPolicy(policy("auto-additive"), update).action).toBe("apply");
    const held = decideByPolicy(policy("auto-additive"), remove);
    expect(held.action).toBe("hold");
    expect(held.reason).toContain("aws_instance.b (delete)");
    expect(decideByPolicy(policy("auto-additive"), replace).reason).toContain("aws_instance.a (replace)");
  });

  it("manual holds every plan with changes", () => {
    expect(decideByPolicy(policy("manual"), create).action).toBe("hold");
  });

  it("plan-only never applies nor holds for approval", () => {
    expect(decideByPolicy(policy("plan-only"), remove).action).toBe("none");
  });
});
