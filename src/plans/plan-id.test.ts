import { describe, expect, it } from "vitest";
import { isPlanId, planId, planIdOf, stateFingerprint } from "./plan-id.js";

const state = (serial: number, lineage = "l-1", extra = "") =>
  `{"version":4,"serial":${serial},"lineage":"${lineage}"${extra},"resources":[]}`;

describe("stateFingerprint", () => {
  it("treats a saved plan's empty prior state (no lineage) like no state at all", () => {
    expect(stateFingerprint('{"version":4,"serial":0,"lineage":"","resources":[]}')).toBe(
      stateFingerprint(""),
    );
  });
});

describe("planId", () => {
  it("is planIdOf the state's fingerprint (a pulled state is fingerprinted once)", () => {
    expect(planId({ configHash: "c1", priorState: state(3) })).toBe(
      planIdOf("c1", stateFingerprint(state(3))),
    );
  });

  it("gives the same id for the same configuration and state, however often it is planned", () => {
    const a = planId({ configHash: "c1", priorState: state(3) });
    const b = planId({ configHash: "c1", priorState: state(3) });
    expect(a).toBe(b);
    expect(isPlanId(a)).toBe(true);
  });

  it("changes when the configuration changes", () => {
    expect(planId({ configHash: "c1", priorState: state(3) })).not.toBe(
      planId({ configHash: "c2", priorState: state(3) }),
    );
  });

  it("changes when the state was written since (serial or lineage)", () => {
    const base = planId({ configHash: "c1", priorState: state(3) });
    expect(planId({ configHash: "c1", priorState: state(4) })).not.toBe(base);
    expect(planId({ configHash: "c1", priorState: state(3, "l-2") })).not.toBe(base);
  });

  it("ignores how the state's bytes are formatted", () => {
    const compact = state(7);
    const pretty = JSON.stringify(JSON.parse(compact), null, 2);
    expect(planId({ configHash: "c", priorState: pretty })).toBe(
      planId({ configHash: "c", priorState: compact }),
    );
  });

  it("falls back to the bytes for a state without serial and lineage", () => {
    expect(stateFingerprint("not json")).toMatch(/^sha256=/);
    expect(stateFingerprint("")).toBe("no-state");
    expect(stateFingerprint("not json")).not.toBe(stateFingerprint("not json either"));
  });

  it("rejects ids that are not 16 lowercase hex digits", () => {
    expect(isPlanId("0123456789abcdef")).toBe(true);
    expect(isPlanId("0123456789ABCDEF")).toBe(false);
    expect(isPlanId("0123")).toBe(false);
  });
});
