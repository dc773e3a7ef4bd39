import { describe, expect, it } from "vitest";
import { DRIFT_INTERVAL_ANNOTATION, jitteredInterval } from "./drift.js";
import {
  DEFAULT_FULL_DRIFT_INTERVAL_MS,
  type DriftScheduleInput,
  driftAnnotationProblems,
  driftSchedule,
  FULL_DRIFT_INTERVAL_ANNOTATION,
} from "./drift-schedule.js";

const NOW = new Date("2026-12-03T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const MIN = 60_000;
const seed = "uid-1";
const input = (patch: Partial<DriftScheduleInput>): DriftScheduleInput => ({
  annotations: undefined,
  cheapCheck: true,
  lastFull: ago(1 * MIN),
  lastCheap: undefined,
  now: NOW,
  seed,
  ...patch,
});

describe("drift schedule: which check is due", () => {
  it("with a cheap check: a cheap check every drift interval, no plan", () => {
    const due = driftSchedule(input({ lastFull: ago(20 * MIN), lastCheap: ago(11 * MIN) }));
    expect(due.due).toBe("cheap");
    const quiet = driftSchedule(input({ lastFull: ago(20 * MIN), lastCheap: ago(1 * MIN) }));
    expect(quiet.due).toBeUndefined();
    expect(quiet.delayMs).toBe(jitteredInterval(10 * MIN, seed) - 1 * MIN);
  });

  it("with a cheap check: a full plan once the full interval (default 1h) has passed", () => {
    const full = driftSchedule(input({ lastFull: ago(70 * MIN), lastCheap: ago(1 * MIN) }));
    expect(full.due).toBe("full");
    expect(DEFAULT_FULL_DRIFT_INTERVAL_MS).toBe(60 * MIN);
  });

  it("a full plan also counts as a check: the next cheap check is an interval after it", () => {
    const s = driftSchedule(input({ lastFull: ago(2 * MIN), lastCheap: ago(30 * MIN) }));
    expect(s.due).toBeUndefined();
    expect(s.delayMs).toBe(jitteredInterval(10 * MIN, seed) - 2 * MIN);
  });

  it("an apply counts as a check: the next one is an interval after the apply ends", () => {
    const s = driftSchedule(
      input({ lastFull: ago(15 * MIN), lastCheap: undefined, lastApply: ago(1 * MIN) }),
    );
    expect(s.due).toBeUndefined();
    expect(s.delayMs).toBe(jitteredInterval(10 * MIN, seed) - 1 * MIN);
    const vsphere = driftSchedule(
      input({ cheapCheck: false, lastFull: ago(15 * MIN), lastApply: ago(1 * MIN) }),
    );
    expect(vsphere.due).toBeUndefined();
  });

  it("without a cheap check (vSphere): a full plan every drift interval", () => {
    expect(driftSchedule(input({ cheapCheck: false, lastFull: ago(11 * MIN) })).due).toBe("full");
    const s = driftSchedule(input({ cheapCheck: false, lastFull: ago(1 * MIN), lastCheap: ago(30 * MIN) }));
    expect(s.due).toBeUndefined();
    expect(s.delayMs).toBe(jitteredInterval(10 * MIN, seed) - 1 * MIN);
  });

  it("never checked: a full plan first", () => {
    expect(driftSchedule(input({ lastFull: undefined })).due).toBe("full");
  });

  it("annotations: intervals per Cluster, full plans off, all checks off", () => {
    const annotations = { [DRIFT_INTERVAL_ANNOTATION]: "30s", [FULL_DRIFT_INTERVAL_ANNOTATION]: "2h" };
    expect(driftSchedule(input({ annotations, lastFull: ago(90 * MIN), lastCheap: ago(40_000) })).due).toBe(
      "cheap",
    );
    expect(driftSchedule(input({ annotations, lastFull: ago(130 * MIN), lastCheap: ago(1_000) })).due).toBe(
      "full",
    );
    const fullOff = { [FULL_DRIFT_INTERVAL_ANNOTATION]: "off" };
    const onlyCheap = driftSchedule(
      input({ annotations: fullOff, lastFull: ago(500 * MIN), lastCheap: ago(1 * MIN) }),
    );
    expect(onlyCheap.due).toBeUndefined();
    expect(onlyCheap.delayMs).toBeGreaterThan(0);
    expect(
      driftSchedule(input({ annotations: { [DRIFT_INTERVAL_ANNOTATION]: "off" }, lastFull: undefined })),
    ).toEqual({ problems: [] });
  });

  it("a full interval below the drift interval means full plans at the drift interval", () => {
    const s = driftSchedule(
      input({ fullDriftIntervalMs: 1 * MIN, lastFull: ago(5 * MIN), lastCheap: ago(1 * MIN) }),
    );
    expect(s.due).toBeUndefined();
    expect(driftSchedule(input({ fullDriftIntervalMs: 1 * MIN, lastFull: ago(11 * MIN) })).due).toBe("full");
  });

  it("lists the drift annotations it cannot read, with the default used", () => {
    expect(driftAnnotationProblems({ [FULL_DRIFT_INTERVAL_ANNOTATION]: "weekly" })).toEqual([
      `annotation ${FULL_DRIFT_INTERVAL_ANNOTATION}="weekly" is not a duration like 10m or 1h30m (or "off"); using 1h`,
    ]);
    expect(driftAnnotationProblems({ [DRIFT_INTERVAL_ANNOTATION]: "5m" })).toEqual([]);
    expect(driftAnnotationProblems(undefined)).toEqual([]);
  });

  it("says which annotation it could not read", () => {
    const s = driftSchedule(input({ annotations: { [FULL_DRIFT_INTERVAL_ANNOTATION]: "soon" } }));
    expect(s.problems).toEqual([
      'annotation clusterform.io/full-drift-interval="soon" is not a duration like 10m or 1h30m (or "off"); using 1h',
    ]);
  });
});
