import { describe, expect, it } from "vitest";
import { APPLY_POLICY_ANNOTATION, resolveApplyPolicy } from "./apply-policy.js";
import { heldPlanDecision } from "./held-plan.js";

const policy = (value: string) => resolveApplyPolicy({ [APPLY_POLICY_ANNOTATION]: value });
const drift = {
  add: 1,
  change: 1,
  destroy: 0,
  replace: 0,
  changes: [
    { address: "aws_instance.machine_a", action: "create" as const },
    { address: "aws_instance.machine_b", action: "update" as const },
  ],
};
const removing = {
  add: 0,
  change: 0,
  destroy: 1,
  replace: 0,
  changes: [{ address: "aws_instance.machine_a", action: "delete" as const }],
};

describe("heldPlanDecision", () => {
  it("applies a held plan once the policy is auto (manual -> auto)", () => {
    expect(heldPlanDecision(policy("auto"), drift).action).toBe("apply");
    expect(heldPlanDecision(policy("manual"), drift).action).toBe("hold");
  });

  it("judges the kept changes as auto-additive would a new plan", () => {
    expect(heldPlanDecision(policy("auto-additive"), drift).action).toBe("apply");
    expect(heldPlanDecision(policy("auto-additive"), removing).action).toBe("hold");
    // Counts alone (a record without its change list) still hold a destroy.
    expect(heldPlanDecision(policy("auto-additive"), { ...removing, changes: [] }).action).toBe("hold");
  });

  it("never applies under plan-only or an unknown policy", () => {
    expect(heldPlanDecision(policy("plan-only"), drift).action).toBe("none");
    expect(heldPlanDecision(policy("yolo"), drift).action).toBe("hold");
  });

  it("keeps a plan that replaces an adopted instance held under auto", () => {
    const adopted = [
      {
        machine: "a",
        instanceId: "i-0aaaaaaaaaaaaaaaa",
        address: "aws_instance.machine_a",
        action: "replace" as const,
        forcedBy: ["ami"],
      },
    ];
    const decision = heldPlanDecision(policy("auto"), { ...removing, adopted });
    expect(decision.action).toBe("hold");
    expect(decision.reason).toContain("ami forces replacement");
  });

  it("keeps a plan a guard held (the only control plane) held under auto", () => {
    const holds = [
      { guard: "single-control-plane" as const, reason: "the plan replaces the only control plane" },
    ];
    const decision = heldPlanDecision(policy("auto"), { ...removing, holds });
    expect(decision).toEqual({ action: "hold", reason: "the plan replaces the only control plane" });
  });
});
