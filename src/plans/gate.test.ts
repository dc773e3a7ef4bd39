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
    ).toEqual({ kind: "apply-pending", id: "p1" });
  });

  it("runs no Terraform while a current held plan waits, even though the configuration differs from the applied one", () => {
    expect(
      decideNextStep({ approval: { kind: "none" }, pendingId: "p1", currentId: "p1", planWanted: wanted }),
    ).toEqual({ kind: "wait", id: "p1" });
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

  it("says created machines wait for approval, and leaves untouched machines out", () => {
    expect(notes.get("a")?.message).toBe("waits for plan p1 to be approved before its instance is created");
    expect(notes.has("c")).toBe(false);
  });
});
