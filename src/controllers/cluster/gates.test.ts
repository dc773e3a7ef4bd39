import { describe, expect, it } from "vitest";
import type { PlanResult } from "../../terraform/types.js";
import { APPLY_POLICY_ANNOTATION, machinesToProvision, shouldApply, shouldPlan } from "./gates.js";
import { awsMachine, awsOutputs, testScope } from "./test-scope.js";
import { validate } from "./validate.js";

const stack = { json: "{}", configHash: "abc", summary: "aws: nothing" };

function planWith(hasChanges: boolean): PlanResult {
  return {
    planFile: "/tmp/plan",
    summary: {
      add: hasChanges ? 1 : 0,
      change: 0,
      destroy: 0,
      replace: 0,
      import: 0,
      hasChanges,
      changes: [],
      drift: [],
      outputChanges: {},
    },
    diagnostics: [],
    configHash: "abc",
    run: { durationMs: 1 },
  };
}

const applied = (configHash: string) => ({
  configHash,
  provider: "aws" as const,
  outputs: {},
  appliedAt: "2026-01-01T00:00:00Z",
});

describe("shouldPlan", () => {
  it("plans a cluster never applied from this state directory", () => {
    expect(shouldPlan(testScope([]), stack)).toEqual({
      ok: true,
      reason: "never applied from this state directory",
    });
  });

  it("plans when the synthesized configuration differs from the last applied one", () => {
    const verdict = shouldPlan(testScope([], { applied: applied("old") }), stack);
    expect(verdict.ok).toBe(true);
    expect(verdict.reason).toMatch(/configuration changed/);
  });

  it("runs no terraform when the configuration is unchanged and no drift check is due", () => {
    const verdict = shouldPlan(testScope([], { applied: applied("abc") }), stack);
    expect(verdict.ok).toBe(false);
    expect(verdict.reason).toMatch(/unchanged since the apply at 2026-01-01/);
  });

  it("plans an unchanged configuration when a drift check is due", () => {
    expect(shouldPlan(testScope([], { applied: applied("abc") }), stack, { driftCheckDue: true }).ok).toBe(
      true,
    );
  });
});

describe("shouldApply", () => {
  it("applies a plan with changes under the default policy auto", () => {
    expect(shouldApply(testScope([]), planWith(true))).toEqual({ ok: true, reason: "apply policy auto" });
  });

  it("has nothing to apply when the plan has no changes", () => {
    expect(shouldApply(testScope([]), planWith(false)).ok).toBe(false);
  });

  it("holds a plan with changes under a policy other than auto", () => {
    const scope = testScope([]);
    scope.cluster.metadata.annotations = { [APPLY_POLICY_ANNOTATION]: "manual" };
    const verdict = shouldApply(scope, planWith(true));
    expect(verdict.ok).toBe(false);
    expect(verdict.reason).toMatch(/"manual" holds the plan/);
  });
});

describe("machinesToProvision", () => {
  it("lists the machines whose instance is not in the outputs yet", () => {
    const scope = testScope([awsMachine("a"), awsMachine("b")], { outputs: awsOutputs({ a: "i-1" }) });
    const validation = validate(scope);
    if (!validation.ok) throw new Error("test scope should be valid");
    scope.model = validation.model;
    expect([...machinesToProvision(scope)]).toEqual(["b"]);
  });
});
