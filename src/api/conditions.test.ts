import { describe, expect, it } from "vitest";
import { findCondition, setCondition, setConditions } from "./conditions.js";

const t0 = new Date("2026-01-01T00:00:00Z");
const t1 = new Date("2026-01-01T00:05:00Z");

describe("setCondition", () => {
  it("adds a condition with the current time as its transition time", () => {
    const list = setCondition(undefined, { type: "Ready", status: "False", reason: "Pending" }, t0);
    expect(list).toEqual([
      { type: "Ready", status: "False", reason: "Pending", lastTransitionTime: t0.toISOString() },
    ]);
  });

  it("keeps the transition time when nothing but observedGeneration changes", () => {
    const first = setCondition(undefined, { type: "Ready", status: "True", reason: "Running" }, t0);
    const second = setCondition(
      first,
      { type: "Ready", status: "True", reason: "Running", observedGeneration: 2 },
      t1,
    );
    expect(second[0]?.lastTransitionTime).toBe(t0.toISOString());
    expect(second[0]?.observedGeneration).toBe(2);
  });

  it("moves the transition time when the status changes", () => {
    const first = setCondition(undefined, { type: "Ready", status: "False", reason: "Pending" }, t0);
    expect(
      setCondition(first, { type: "Ready", status: "True", reason: "Pending" }, t1)[0]?.lastTransitionTime,
    ).toBe(t1.toISOString());
  });

  it("keeps the transition time when only the reason or message changes (Cluster API's rule)", () => {
    const first = setCondition(undefined, { type: "Ready", status: "False", reason: "Pending" }, t0);
    const reworded = setCondition(
      first,
      { type: "Ready", status: "False", reason: "WaitingForApply", message: "x" },
      t1,
    )[0];
    expect(reworded).toMatchObject({ reason: "WaitingForApply", message: "x" });
    expect(reworded?.lastTransitionTime).toBe(t0.toISOString());
  });

  it("replaces in place and leaves other conditions alone", () => {
    const list = setConditions(
      undefined,
      [
        { type: "A", status: "True", reason: "X" },
        { type: "B", status: "False", reason: "Y" },
      ],
      t0,
    );
    const next = setCondition(list, { type: "A", status: "False", reason: "Z" }, t1);
    expect(next.map((c) => c.type)).toEqual(["A", "B"]);
    expect(findCondition(next, "B")).toEqual(list[1]);
    expect(list[0]?.status).toBe("True");
  });
});
