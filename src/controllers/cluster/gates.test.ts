import { describe, expect, it } from "vitest";
import { machinesToProvision, shouldPlan } from "./gates.js";
import { awsMachine, awsOutputs, testScope } from "./test-scope.js";
import { validate } from "./validate.js";

const stack = { json: "{}", configHash: "abc", summary: "aws: nothing", resources: [], warnings: [] };

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

  it("plans after an apply that began and did not finish, even when the configuration hashes match", () => {
    const verdict = shouldPlan(
      testScope([], { applied: { ...applied("abc"), applyStartedFor: "def" } }),
      stack,
    );
    expect(verdict).toEqual({
      ok: true,
      reason: "an apply started after the last successful one and did not finish",
    });
  });

  it("plans an unchanged configuration when a drift check is due", () => {
    expect(shouldPlan(testScope([], { applied: applied("abc") }), stack, { driftCheckDue: true }).ok).toBe(
      true,
    );
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

  it("does not list a Machine whose status names its instance when the recorded outputs are gone (pod restart)", () => {
    const running = awsMachine("a");
    running.status = { providerID: "aws:////i-1" };
    const scope = testScope([running, awsMachine("b")]);
    const validation = validate(scope);
    if (!validation.ok) throw new Error("test scope should be valid");
    scope.model = validation.model;
    expect([...machinesToProvision(scope)]).toEqual(["b"]);
  });
});
