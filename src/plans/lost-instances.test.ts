import { describe, expect, it } from "vitest";
import type { ChangeAction } from "../terraform/types.js";
import { describeLostInstance, lostInstanceIds } from "./lost-instances.js";

const recorded = new Map([
  ["a", "i-a"],
  ["b", "i-b"],
  ["c", "i-c"],
]);
const actions = (entries: [string, ChangeAction][]) => new Map(entries);

describe("lostInstanceIds", () => {
  it("counts a recorded instance the refresh found deleted, or that the plan creates anew, as lost", () => {
    expect(
      lostInstanceIds(
        recorded,
        actions([
          ["a", "delete"],
          ["b", "create"],
        ]),
      ),
    ).toEqual(
      new Map([
        ["a", "i-a"],
        ["b", "i-b"],
      ]),
    );
  });

  it("leaves instances that are only updated or replaced, and Machines never applied, alone", () => {
    expect(
      lostInstanceIds(
        recorded,
        actions([
          ["a", "update"],
          ["b", "replace"],
          ["new", "create"],
        ]),
      ),
    ).toEqual(new Map());
  });
});

describe("describeLostInstance", () => {
  it("names the instance and the correcting apply when no plan holds it", () => {
    expect(describeLostInstance("i-a", { kind: "correcting" })).toBe(
      "instance i-a was terminated or deleted outside Terraform; the drift check's plan creates it anew (at once under apply policy auto or auto-additive, otherwise once approved)",
    );
  });

  it("names the held plan and how to approve it", () => {
    const message = describeLostInstance("i-a", {
      kind: "held",
      planId: "0123456789abcdef",
      approveCommand:
        "kubectl annotate cluster demo clusterform.io/approve-plan=0123456789abcdef --overwrite",
    });
    expect(message).toContain("instance i-a was terminated or deleted outside Terraform");
    expect(message).toContain("waiting for approval of plan 0123456789abcdef");
    expect(message).toContain("clusterform.io/approve-plan=0123456789abcdef");
  });

  it("says a plan-only plan is never applied", () => {
    expect(describeLostInstance("i-a", { kind: "plan-only", planId: "p1" })).toContain(
      "plan p1 would create it anew, but apply policy plan-only never applies it",
    );
  });
});
