import { describe, expect, it } from "vitest";
import { type OneRunInputs, oneRunDecision, oneRunRuledOut } from "./one-run.js";

const eligible: OneRunInputs = {
  policy: "auto",
  heldPlan: false,
  exportingPlans: false,
  configUnchanged: false,
  stateResources: ["aws_vpc.main", "aws_instance.a"],
  configResources: ["aws_vpc.main", "aws_instance.a", "aws_instance.b", "aws_instance.c"],
};

describe("oneRunDecision", () => {
  it("allows one run under auto when the state holds nothing the configuration lacks; sizes it by what is new", () => {
    expect(oneRunDecision(eligible)).toEqual({ oneRun: true, expectedChanges: 2 });
    expect(oneRunDecision({ ...eligible, stateResources: [] })).toEqual({ oneRun: true, expectedChanges: 4 });
  });

  it("never under a policy that reviews or limits what is applied", () => {
    for (const policy of ["manual", "auto-additive", "plan-only"] as const)
      expect(oneRunDecision({ ...eligible, policy })).toEqual({
        oneRun: false,
        why: `apply policy ${policy}`,
      });
  });

  it("never with a held plan, exported plans, an unchanged configuration or an unread state", () => {
    expect(oneRunDecision({ ...eligible, heldPlan: true }).oneRun).toBe(false);
    expect(oneRunDecision({ ...eligible, exportingPlans: true }).oneRun).toBe(false);
    expect(oneRunDecision({ ...eligible, configUnchanged: true })).toMatchObject({
      oneRun: false,
      why: expect.stringContaining("drift check"),
    });
    expect(oneRunDecision({ ...eligible, stateResources: undefined }).oneRun).toBe(false);
  });

  it("never when a resource leaves the configuration (the destroy guard cannot cover it)", () => {
    const leaving = { ...eligible, configResources: ["aws_vpc.main"] };
    expect(oneRunDecision(leaving)).toEqual({
      oneRun: false,
      why: "resources leave the configuration (aws_instance.a)",
    });
  });

  it("plans first where the last apply is unknown but the state holds resources (a new pod over a shared state)", () => {
    expect(oneRunDecision({ ...eligible, lastApplyUnknown: true })).toMatchObject({
      oneRun: false,
      why: expect.stringContaining("no record of the last apply"),
    });
    // Nothing there yet: a first apply, nothing to tell apart.
    expect(oneRunDecision({ ...eligible, lastApplyUnknown: true, stateResources: [] })).toEqual({
      oneRun: true,
      expectedChanges: 4,
    });
  });
});

describe("oneRunRuledOut (before a shared state is read)", () => {
  it("rules out exactly what needs no state to tell", () => {
    expect(oneRunRuledOut(eligible)).toBeUndefined();
    expect(oneRunRuledOut({ ...eligible, policy: "manual" })).toBe("apply policy manual");
    expect(oneRunRuledOut({ ...eligible, heldPlan: true })).toBe("a held plan exists");
    expect(oneRunRuledOut({ ...eligible, exportingPlans: true })).toBe("plans are exported");
    expect(oneRunRuledOut({ ...eligible, configUnchanged: true })).toMatch(/drift check/);
  });
});
