import { describe, expect, it } from "vitest";
import { planCounts } from "./plan-counts.js";
import { summaryOf } from "./test-summary.js";

describe("planCounts", () => {
  it("keeps Terraform's numbers and sorts the changes by address, without reasons", () => {
    const summary = summaryOf([
      { address: "aws_vpc.main", action: "create" },
      { address: "aws_instance.machine_a", action: "replace", reason: "cannot_update" },
    ]);
    expect(planCounts(summary)).toEqual({
      hasChanges: true,
      add: 2,
      change: 0,
      destroy: 1,
      replace: 1,
      import: 0,
      changes: [
        { address: "aws_instance.machine_a", action: "replace" },
        { address: "aws_vpc.main", action: "create" },
      ],
    });
  });
});
