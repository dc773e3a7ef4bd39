import { describe, expect, it } from "vitest";
import { type OneRunInputs, oneRunDecision } from "./one-run.js";

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
});
