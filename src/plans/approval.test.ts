import { describe, expect, it } from "vitest";
import { APPROVE_PLAN_ANNOTATION, approveCommand, decideApproval, type PendingPlan } from "./approval.js";

const pending: PendingPlan = { id: "aaaaaaaaaaaaaaaa", configHash: "c1", stateFingerprint: "s1" };
const approve = (id: string): Record<string, string> => ({ [APPROVE_PLAN_ANNOTATION]: id });
const decide = (overrides: Partial<Parameters<typeof decideApproval>[0]> = {}) =>
  decideApproval({
    annotations: approve(pending.id),
    pending,
    current: { configHash: "c1", stateFingerprint: "s1" },
    clusterLabel: "default/demo",
    ...overrides,
  });

describe("decideApproval", () => {
  it("applies the kept plan when the approval names it and nothing moved since", () => {
    expect(decide()).toEqual({ kind: "approved", id: pending.id });
  });

  it("does nothing without an approval, or when it names the plan already applied", () => {
    expect(decide({ annotations: {} }).kind).toBe("none");
    expect(decide({ pending: undefined, lastAppliedPlan: pending.id }).kind).toBe("none");
  });

  it("ignores an approval naming another id and says which id is pending", () => {
    const decision = decide({ annotations: approve("bbbbbbbbbbbbbbbb") });
    expect(decision.kind).toBe("ignored");
    expect(decision.kind === "ignored" && decision.message).toContain(
      "approval of plan bbbbbbbbbbbbbbbb ignored: the pending plan of default/demo is aaaaaaaaaaaaaaaa",
    );
  });

  it("ignores an approval when nothing is pending", () => {
    const decision = decide({ pending: undefined });
    expect(decision.kind === "ignored" && decision.message).toContain("has no pending plan");
  });

  it("does not apply an approved plan whose spec moved since; says the spec changed", () => {
    const decision = decide({ current: { configHash: "c2", stateFingerprint: "s1" } });
    expect(decision.kind).toBe("stale");
    expect(decision.kind === "stale" && decision.message).toContain(
      "spec (synthesized configuration) changed",
    );
  });

  it("does not apply an approved plan whose state moved since; says the state changed", () => {
    const decision = decide({ current: { configHash: "c1", stateFingerprint: "s2" } });
    expect(decision.kind === "stale" && decision.message).toContain("Terraform state changed");
  });
});

describe("approveCommand", () => {
  it("gives the exact kubectl command, with the namespace only when it is not default", () => {
    expect(approveCommand("default", "demo", "abc")).toBe(
      "kubectl annotate cluster demo clusterform.io/approve-plan=abc --overwrite",
    );
    expect(approveCommand("prod", "demo", "abc")).toContain("cluster demo -n prod ");
  });
});
