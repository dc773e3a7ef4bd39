import { describe, expect, it } from "vitest";
import type { PlanResult } from "../../terraform/types.js";
import { describePlan, planStatus } from "./terraform.js";

function plan(configHash: string, add = 1): PlanResult {
  return {
    planFile: "/tmp/plan",
    summary: {
      add,
      change: 0,
      destroy: 0,
      replace: 0,
      import: 0,
      hasChanges: add > 0,
      changes: [],
      drift: [],
      outputChanges: {},
    },
    diagnostics: [],
    configHash,
    run: { durationMs: 1 },
  };
}

describe("planStatus", () => {
  it("derives the same id from the same configuration and prior state", () => {
    expect(planStatus(plan("c1"), "state-a", "Pending").id).toBe(
      planStatus(plan("c1"), "state-a", "Applied").id,
    );
  });

  it("derives a new id when the configuration or the prior state changes", () => {
    const base = planStatus(plan("c1"), "state-a", "Pending").id;
    expect(planStatus(plan("c2"), "state-a", "Pending").id).not.toBe(base);
    expect(planStatus(plan("c1"), "state-b", "Pending").id).not.toBe(base);
  });

  it("carries the counts and the state", () => {
    expect(planStatus(plan("c1", 3), "", "Applied")).toMatchObject({
      add: 3,
      change: 0,
      destroy: 0,
      replace: 0,
      state: "Applied",
    });
  });
});

describe("describePlan", () => {
  it("summarises a plan in one line", () => {
    expect(describePlan(plan("c", 2))).toBe("plan: 2 to add, 0 to change, 0 to destroy");
    expect(describePlan(plan("c", 0))).toBe("plan: no changes");
  });
});
