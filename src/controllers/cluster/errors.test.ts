import { describe, expect, it } from "vitest";
import { InvalidConfigurationError } from "../../errors.js";
import { StateLockedError, TerraformError } from "../../terraform/errors.js";
import { isRetryable, observedErrorFrom } from "./errors.js";

describe("observedErrorFrom", () => {
  it("shows a held state lock as a retryable condition, not a terminal error", () => {
    const error = new StateLockedError("plan", "/w", [], 1, "lock-1");
    expect(observedErrorFrom(error)).toMatchObject({ reason: "StateLocked", terminal: false });
    expect(isRetryable(error)).toBe(true);
  });

  it("retries a Terraform failure caused by an unreachable endpoint", () => {
    const error = new TerraformError(
      "apply",
      "/w",
      [{ severity: "error", summary: "dial tcp 127.0.0.1:1: connection refused", detail: "" }],
      1,
    );
    expect(observedErrorFrom(error).terminal).toBe(false);
  });

  it("makes an invalid configuration terminal: retrying cannot fix the spec", () => {
    const error = new InvalidConfigurationError("bad spec");
    expect(observedErrorFrom(error)).toMatchObject({ reason: "InvalidConfiguration", terminal: true });
    expect(isRetryable(error)).toBe(false);
  });

  it("retries failures it knows nothing about (API server unreachable, bugs)", () => {
    expect(observedErrorFrom(new Error("socket hang up"))).toMatchObject({
      reason: "ReconcileError",
      terminal: false,
    });
    expect(isRetryable(new Error("x"))).toBe(true);
  });
});
