import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseUiLine, summarisePlan } from "./ui-stream.js";

// Streams captured from Terraform 1.11.4 with the AWS provider 5.100.0 against moto.
function events(name: string) {
  const text = readFileSync(new URL(`testdata/${name}`, import.meta.url), "utf8");
  return text.split("\n").flatMap((line) => parseUiLine(line) ?? []);
}

describe("parseUiLine", () => {
  it("ignores blank and non-JSON lines", () => {
    expect(parseUiLine("")).toBeUndefined();
    expect(parseUiLine("Terraform will perform the following actions:")).toBeUndefined();
    expect(parseUiLine("{not json")).toBeUndefined();
  });

  it("types apply hooks with address, action and id", () => {
    const complete = events("apply-create.jsonl").find((e) => e.type === "apply_complete");
    expect(complete).toMatchObject({ type: "apply_complete", address: "aws_vpc.main", action: "create" });
    expect(complete && "idValue" in complete && complete.idValue).toMatch(/^vpc-/);
  });

  it("keeps output values the apply stream carries and knows which are sensitive", () => {
    const outputs = events("apply-create.jsonl").find((e) => e.type === "outputs");
    expect(outputs?.type === "outputs" && outputs.outputs).toEqual({
      id: { sensitive: false, type: "string", value: expect.stringMatching(/^i-/) },
      secret: { sensitive: true, type: "string" },
    });
  });

  it("keeps unknown message types as 'other' with their kind", () => {
    const line = JSON.stringify({ "@message": "x", "@level": "info", type: "ephemeral_op_start" });
    expect(parseUiLine(line)).toMatchObject({ type: "other", kind: "ephemeral_op_start", message: "x" });
  });
});

describe("summarisePlan", () => {
  it("counts a replace in add and destroy like Terraform, and separately as replace", () => {
    const summary = summarisePlan(events("plan-replace.jsonl"), 2);
    expect(summary).toMatchObject({ add: 2, change: 0, destroy: 2, replace: 2, import: 0, hasChanges: true });
    expect(summary.changes).toEqual([
      { address: "aws_subnet.a", action: "replace", reason: "cannot_update" },
      { address: "aws_instance.w1", action: "replace", reason: "cannot_update" },
    ]);
    expect(summary.drift.map((d) => d.address)).toEqual(["aws_vpc.main", "aws_subnet.a"]);
    expect(summary.outputChanges).toEqual({ id: "update", secret: "noop" });
  });

  it("takes hasChanges from the detailed exit code", () => {
    expect(summarisePlan([], 0).hasChanges).toBe(false);
    expect(summarisePlan([], 2).hasChanges).toBe(true);
  });

  it("counts from planned changes when no change_summary was printed", () => {
    const withoutSummary = events("plan-replace.jsonl").filter((e) => e.type !== "change_summary");
    expect(summarisePlan(withoutSummary, 2)).toMatchObject({ add: 2, destroy: 2, change: 0, replace: 2 });
  });
});
