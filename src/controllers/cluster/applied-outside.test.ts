import { describe, expect, it } from "vitest";
import { markAppliedOutside, overtakenPlan } from "./applied-outside.js";
import type { PendingPlanRecord } from "./pending-plan.js";
import type { ClusterApiObject, ClusterStore } from "./store.js";
import { testScope } from "./test-scope.js";

const pending: PendingPlanRecord = {
  id: "0123456789abcdef",
  configHash: "c1",
  stateFingerprint: "lineage=l serial=1",
  planFile: "/x/plan.tfplan",
  generatedAt: "2026-01-01T00:00:00Z",
  add: 4,
  change: 0,
  destroy: 0,
  replace: 0,
};

describe("overtakenPlan", () => {
  it("is the held plan when the new plan was made against another state, same configuration", () => {
    expect(overtakenPlan(pending, "lineage=l serial=5", "c1")).toBe(pending);
  });

  it("is nothing when the state did not move, the configuration changed too, or nothing was held", () => {
    expect(overtakenPlan(pending, pending.stateFingerprint, "c1")).toBeUndefined();
    expect(overtakenPlan(pending, "lineage=l serial=5", "c2")).toBeUndefined();
    expect(overtakenPlan(undefined, "lineage=l serial=5", "c1")).toBeUndefined();
  });
});

describe("markAppliedOutside", () => {
  it("shows the held plan as applied externally, drops the hold and says so in an Event", async () => {
    const events: string[] = [];
    const store = {
      event: async (_object: ClusterApiObject, _type: string, reason: string, message: string) => {
        events.push(`${reason}: ${message}`);
      },
    } as unknown as ClusterStore;
    const scope = testScope([]);
    scope.planPending = { id: pending.id, policy: "plan-only", message: "held", notes: new Map() };
    await markAppliedOutside(store, scope, pending);
    expect(scope.plan).toEqual({
      id: pending.id,
      add: 4,
      change: 0,
      destroy: 0,
      replace: 0,
      generatedAt: pending.generatedAt,
      state: "Applied",
      appliedBy: "external",
    });
    expect(scope.planPending).toBeUndefined();
    expect(events).toEqual([
      expect.stringMatching(/^AppliedOutside: plan 0123456789abcdef was applied outside clusterform/),
    ]);
  });
});
