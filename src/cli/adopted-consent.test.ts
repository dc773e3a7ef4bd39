import { describe, expect, it } from "vitest";
import { adoptedWarning, refuseUnattendedAdoptedLoss } from "./adopted-consent.js";
import { ExitCode, UsageError } from "./exit.js";

const atRisk = [
  {
    cluster: "default/adopter",
    changes: [
      {
        machine: "legacy-0",
        instanceId: "i-0aaaaaaaaaaaaaaaa",
        address: "aws_instance.machine_legacy-0",
        action: "replace" as const,
        forcedBy: ["subnet_id"],
      },
    ],
  },
];

describe("refuseUnattendedAdoptedLoss", () => {
  it("refuses --auto-approve with exit code 3, naming the instance and the forcing attribute", () => {
    let thrown: unknown;
    try {
      refuseUnattendedAdoptedLoss(atRisk, { autoApprove: true });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).exitCode).toBe(ExitCode.Declined);
    expect((thrown as UsageError).message).toContain(
      "default/adopter: the plan replaces adopted instance i-0aaaaaaaaaaaaaaaa (Machine legacy-0): subnet_id forces replacement",
    );
    expect((thrown as UsageError).message).toContain("--allow-replace-adopted");
  });

  it("lets it through with the explicit flag, at a prompt, or when nothing adopted is at risk", () => {
    expect(() =>
      refuseUnattendedAdoptedLoss(atRisk, { autoApprove: true, allowReplaceAdopted: true }),
    ).not.toThrow();
    expect(() => refuseUnattendedAdoptedLoss(atRisk, {})).not.toThrow();
    expect(() => refuseUnattendedAdoptedLoss([], { autoApprove: true })).not.toThrow();
  });
});

describe("adoptedWarning", () => {
  it("stands out and names every instance", () => {
    const text = adoptedWarning(atRisk);
    expect(text).toContain("WARNING: adopted instances would be DESTROYED");
    expect(text).toContain("i-0aaaaaaaaaaaaaaaa (Machine legacy-0): subnet_id forces replacement");
  });
});
