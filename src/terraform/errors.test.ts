import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { errorFromDiagnostics, StateLockedError, TerraformError } from "./errors.js";
import { parseUiLine } from "./ui-stream.js";

describe("errorFromDiagnostics", () => {
  it("turns Terraform's state-lock diagnostic into a retryable StateLockedError with the lock id and holder", () => {
    const text = readFileSync(new URL("testdata/plan-state-locked.jsonl", import.meta.url), "utf8");
    const diagnostics = text.split("\n").flatMap((line) => {
      const event = parseUiLine(line);
      return event?.type === "diagnostic" ? [event.diagnostic] : [];
    });
    const error = errorFromDiagnostics("plan", "/w/demo", diagnostics, 1, "");
    expect(error).toBeInstanceOf(StateLockedError);
    expect(error).toMatchObject({
      reason: "StateLocked",
      retryable: true,
      lockId: "09939251-a6d6-03ad-f495-7e6f772b7960",
      lockHolder: "ci@runner",
      lock: {
        operation: "OperationTypePlan",
        created: "2026-11-28T05:28:30.183Z",
        path: "terraform.tfstate",
      },
    });
    // The message names the holder instead of the backend's raw error.
    expect(error.message).toBe(
      "terraform plan in /w/demo: the state is locked by ci@runner (OperationTypePlan) since " +
        "2026-11-28T05:28:30.183Z, lock 09939251-a6d6-03ad-f495-7e6f772b7960",
    );
  });

  it("names the failing address and is retryable only for transient endpoint failures", () => {
    const refused = errorFromDiagnostics(
      "apply",
      "/w/demo",
      [
        {
          severity: "error",
          summary: "creating EC2 Instance",
          detail: "dial tcp 127.0.0.1:1: connect: connection refused",
          address: "aws_instance.w1",
        },
      ],
      1,
      "",
    );
    expect(refused).toBeInstanceOf(TerraformError);
    expect(refused.retryable).toBe(true);
    expect(refused.message).toContain("aws_instance.w1");
    const invalid = errorFromDiagnostics(
      "plan",
      "/w/demo",
      [{ severity: "error", summary: "Invalid reference", detail: "" }],
      1,
      "",
    );
    expect(invalid.retryable).toBe(false);
    expect(invalid.reason).toBe("TerraformFailed");
  });

  it("retries a Terraform killed by a signal (exit code null): nothing is wrong with the configuration", () => {
    const killed = errorFromDiagnostics("apply", "/w/demo", [], null, "");
    expect(killed.retryable).toBe(true);
    expect(killed.message).toContain("(exit signal)");
  });

  it("falls back to stderr when Terraform printed no diagnostic", () => {
    const error = errorFromDiagnostics(
      "show",
      "/w/demo",
      [],
      1,
      "Error: Failed to read the given file as a state or plan file\n",
    );
    expect(error.message).toContain("Failed to read the given file");
  });
});
