import { describe, expect, it } from "vitest";
import { decideNextStep } from "./gate.js";
import { machinePlanNotes } from "./machine-changes.js";
import { summaryOf } from "./test-summary.js";

const wanted = { ok: true, reason: "configuration changed since the last apply" };
const unwanted = { ok: false, reason: "configuration unchanged" };

describe("decideNextStep", () => {
  it("applies the kept plan when approved", () => {
    expect(
      decideNextStep({
        approval: { kind: "approved", id: "p1" },
        pendingId: "p1",
        currentId: "p1",
        planWanted: wanted,
      }),
    ).toEqual({ kind: "apply-pending", id: "p1", by: "approval" });
  });

  it("runs no Terraform while a current held plan waits, even though the configuration differs from the applied one", () => {
    expect(
      decideNextStep({ approval: { kind: "none" }, pendingId: "p1", currentId: "p1", planWanted: wanted }),
    ).toEqual({ kind: "wait", id: "p1" });
  });

  it("applies a current held plan the apply policy now lets through, without a new plan", () => {
    const input = { approval: { kind: "none" } as const, pendingId: "p1", planWanted: unwanted };
    expect(decideNextStep({ ...input, currentId: "p1", policyApplies: true })).toEqual({
      kind: "apply-pending",
      id: "p1",
      by: "policy",
    });
    // Out of date: a new plan, which the policy then judges.
    expect(decideNextStep({ ...input, currentId: "p2", policyApplies: true }).kind).toBe("plan");
    expect(decideNextStep({ ...input, currentId: "p1", policyApplies: false }).kind).toBe("wait");
  });

  it("plans again when the held plan is out of date, also after a stale approval", () => {
    const stale = { kind: "stale", id: "p1", message: "moved" } as const;
    expect(
      decideNextStep({ approval: stale, pendingId: "p1", currentId: "p2", planWanted: unwanted }).kind,
    ).toBe("plan");
  });

  it("plans or idles by shouldPlan's verdict when nothing is held", () => {
    expect(
      decideNextStep({ approval: { kind: "none" }, pendingId: undefined, currentId: "x", planWanted: wanted })
        .kind,
    ).toBe("plan");
    expect(
      decideNextStep({
        approval: { kind: "none" },
        pendingId: undefined,
        currentId: "x",
        planWanted: unwanted,
      }).kind,
    ).toBe("idle");
  });
});

describe("machinePlanNotes", () => {
  const summary = summaryOf([
    { address: "aws_instance.machine_a", action: "create" },
    { address: "aws_instance.machine_b", action: "replace", reason: "cannot_update" },
    { address: "aws_vpc.main", action: "update" },
  ]);
  const notes = machinePlanNotes(["a", "b", "c"], (name) => `aws_instance.machine_${name}`, summary, "p1");

  it("flags replaced instances with the forcing reason", () => {
    expect(notes.get("b")).toMatchObject({ action: "replace", reason: "cannot_update" });
    expect(notes.get("b")?.message).toContain("a changed attribute forces replacement, e.g. a new AMI");
  });

  it("names the forcing attribute on a Machine whose adopted instance would be replaced", () => {
    const adopted = [
      {
        machine: "b",
        instanceId: "i-0123456789abcdef0",
        address: "aws_instance.machine_b",
        action: "replace" as const,
        forcedBy: ["subnet_id"],
      },
    ];
    const guarded = machinePlanNotes(["b"], (name) => `aws_instance.machine_${name}`, summary, "p1", adopted);
    expect(guarded.get("b")?.action).toBe("replace");
    expect(guarded.get("b")?.message).toBe(
      "plan p1 replaces adopted instance i-0123456789abcdef0 (Machine b): subnet_id forces replacement; held under every apply policy until plan p1 is approved (or change the Machine to match the instance)",
    );
  });

  it("says created machines wait for approval, and leaves untouched machines out", () => {
    expect(notes.get("a")?.message).toBe("waits for plan p1 to be approved before its instance is created");
    expect(notes.has("c")).toBe(false);
  });
});
