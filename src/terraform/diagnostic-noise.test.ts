import { describe, expect, it } from "vitest";
import { isUnactionableWarning } from "./diagnostic-noise.js";

const lockWarning = {
  severity: "warning" as const,
  summary: "Incomplete lock file information for providers",
  detail:
    "Due to your customized provider installation methods, Terraform was forced to calculate lock file checksums locally...",
};

describe("isUnactionableWarning", () => {
  it("recognises the filesystem mirror's partial lock file warning", () => {
    expect(isUnactionableWarning(lockWarning)).toBe(true);
  });

  it("keeps every other warning, and any error with that summary", () => {
    expect(isUnactionableWarning({ ...lockWarning, summary: "Argument is deprecated" })).toBe(false);
    expect(isUnactionableWarning({ ...lockWarning, severity: "error" })).toBe(false);
  });
});
