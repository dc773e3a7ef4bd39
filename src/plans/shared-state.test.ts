import { describe, expect, it } from "vitest";
import {
  DUE_RECHECK_REQUEUE_MS,
  heldPlanRecheckDelay,
  heldPlanRequeueDelay,
  isSharedBackend,
  type StateReadInput,
  stateReadNeeded,
} from "./shared-state.js";

const base: StateReadInput = {
  shared: true,
  configHash: "c1",
  recheckDue: false,
};
const pending = { id: "0123456789abcdef", configHash: "c1" };

describe("isSharedBackend", () => {
  it("counts s3 and kubernetes as shared, local and none as not", () => {
    expect(isSharedBackend(undefined)).toBe(false);
    expect(isSharedBackend({ type: "local" })).toBe(false);
    expect(isSharedBackend({ type: "kubernetes", namespace: "a", secretSuffix: "a-b" })).toBe(true);
    expect(isSharedBackend({ type: "s3", bucket: "b", key: "k", region: "eu-west-1" })).toBe(true);
  });
});

describe("stateReadNeeded", () => {
  it("always reads a local state (a file, no Terraform)", () => {
    expect(stateReadNeeded({ ...base, shared: false }).ok).toBe(true);
  });

  it("does not pull without a held plan: a new plan's file records the state it is made against", () => {
    expect(stateReadNeeded(base).ok).toBe(false);
  });

  it("pulls when one run may plan and apply (only the state can tell), and never for that under a held plan", () => {
    expect(stateReadNeeded({ ...base, oneRunCandidate: true })).toMatchObject({
      ok: true,
      reason: expect.stringContaining("one run"),
    });
    expect(stateReadNeeded({ ...base, pending, oneRunCandidate: true }).ok).toBe(false);
  });

  it("lets a current held plan wait without a pull", () => {
    expect(stateReadNeeded({ ...base, pending }).ok).toBe(false);
  });

  it("does not pull when the configuration changed (the held plan is out of date anyway)", () => {
    expect(stateReadNeeded({ ...base, pending, configHash: "c2", approvalId: pending.id }).ok).toBe(false);
  });

  it("pulls when the held plan is approved, and when its re-check is due", () => {
    expect(stateReadNeeded({ ...base, pending, approvalId: pending.id }).ok).toBe(true);
    expect(stateReadNeeded({ ...base, pending, recheckDue: true }).ok).toBe(true);
  });

  it("does not pull for an approval of another id (it is ignored anyway)", () => {
    expect(stateReadNeeded({ ...base, pending, approvalId: "fedcba9876543210" }).ok).toBe(false);
  });
});

describe("heldPlanRecheckDelay", () => {
  const now = new Date("2026-01-01T00:10:00Z");

  it("counts from the plan, then from the last re-check", () => {
    const fromPlan = heldPlanRecheckDelay({ generatedAt: "2026-01-01T00:00:00Z" }, now, 60_000, "uid");
    expect(fromPlan).toBe(0);
    const checked = { generatedAt: "2026-01-01T00:00:00Z", stateCheckedAt: "2026-01-01T00:09:30Z" };
    const delay = heldPlanRecheckDelay(checked, now, 60_000, "uid") ?? -1;
    // 60 s ±10% jitter, 30 s of it already gone.
    expect(delay).toBeGreaterThanOrEqual(24_000);
    expect(delay).toBeLessThanOrEqual(36_000);
  });

  it("never re-checks when drift checks are off", () => {
    expect(
      heldPlanRecheckDelay({ generatedAt: "2026-01-01T00:00:00Z" }, now, undefined, "uid"),
    ).toBeUndefined();
  });
});

describe("heldPlanRequeueDelay", () => {
  it("comes back soon for a re-check that came due during the pass, never 'not at all'", () => {
    expect(heldPlanRequeueDelay(0)).toBe(DUE_RECHECK_REQUEUE_MS);
    expect(heldPlanRequeueDelay(30_000)).toBe(30_000);
    expect(heldPlanRequeueDelay(undefined)).toBeUndefined();
  });
});
