import { describe, expect, it } from "vitest";
import { Redactor } from "../terraform/redact.js";
import type { RedactedResourceChange } from "../terraform/types.js";
import {
  changedPaths,
  DEFAULT_DRIFT_INTERVAL_MS,
  DRIFT_INTERVAL_ANNOTATION,
  describeDrift,
  driftCheckDelay,
  driftedResources,
  jitteredInterval,
  MIN_DRIFT_INTERVAL_MS,
  resolveDriftInterval,
} from "./drift.js";
import { formatDuration, parseDuration } from "./duration.js";
import { summaryOf } from "./test-summary.js";

const interval = (value: string) => resolveDriftInterval({ [DRIFT_INTERVAL_ANNOTATION]: value });

describe("drift interval", () => {
  it("parses Go-style durations", () => {
    expect(parseDuration("10m")).toBe(600_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("1.5s")).toBe(1500);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("10")).toBeUndefined();
    expect(parseDuration("10m junk")).toBeUndefined();
    expect(formatDuration(600_000)).toBe("10m");
  });

  it("takes the annotation over the controller default; off disables", () => {
    expect(resolveDriftInterval({})).toEqual({ intervalMs: DEFAULT_DRIFT_INTERVAL_MS });
    expect(resolveDriftInterval(undefined, 30_000)).toEqual({ intervalMs: 30_000 });
    expect(interval("1h")).toEqual({ intervalMs: 3_600_000 });
    expect(interval("off")).toEqual({ intervalMs: undefined });
  });

  it("raises intervals below the floor and keeps the default for nonsense, saying so", () => {
    expect(interval("1s").intervalMs).toBe(MIN_DRIFT_INTERVAL_MS);
    const bad = interval("often");
    expect(bad.intervalMs).toBe(DEFAULT_DRIFT_INTERVAL_MS);
    expect(bad.problem).toContain('clusterform.io/drift-interval="often" is not a duration');
  });

  it("jitters within ±10%, stable per cluster and different between clusters", () => {
    const a = jitteredInterval(600_000, "uid-a");
    expect(jitteredInterval(600_000, "uid-a")).toBe(a);
    expect(a).toBeGreaterThanOrEqual(540_000);
    expect(a).toBeLessThanOrEqual(660_000);
    const spread = new Set(["a", "b", "c", "d", "e"].map((seed) => jitteredInterval(600_000, seed)));
    expect(spread.size).toBeGreaterThan(1);
  });

  it("is due at once without a previous check, then after the jittered interval", () => {
    const now = new Date("2026-01-01T00:10:00Z");
    expect(driftCheckDelay(undefined, now, 600_000, "x")).toBe(0);
    const just = driftCheckDelay("2026-01-01T00:10:00Z", now, 600_000, "x");
    expect(just).toBe(jitteredInterval(600_000, "x"));
    expect(driftCheckDelay("2026-01-01T00:00:00Z", new Date("2026-01-01T01:00:00Z"), 600_000, "x")).toBe(0);
  });
});

describe("describeDrift", () => {
  const redactor = new Redactor(["hunter2-secret"]);
  const tagChange: RedactedResourceChange = {
    address: "aws_instance.m2",
    actions: ["update"],
    before: { tags: { Name: "m2", Owner: "hunter2-secret" }, ami: "ami-1" },
    after: { tags: { Name: "renamed", Owner: "someone" }, ami: "ami-1" },
    afterUnknown: {},
  };

  it("names every drifted address with what changed, secrets redacted", () => {
    const message = describeDrift(
      [
        { address: "aws_instance.m1", action: "delete" },
        { address: "aws_instance.m2", action: "update" },
      ],
      redactor,
      [tagChange],
    );
    expect(message).toContain("2 resources changed outside Terraform");
    expect(message).toContain("aws_instance.m1 (deleted)");
    expect(message).toContain('aws_instance.m2 (updated: tags.Name "m2" -> "renamed"');
    expect(message).not.toContain("hunter2-secret");
    expect(message).toContain("(redacted)");
  });

  it("counts every planned change of a drift check as drift, since Terraform reports only relevant drift", () => {
    const summary = summaryOf(
      [
        { address: "aws_instance.m1", action: "create" },
        { address: "aws_instance.m2", action: "update" },
      ],
      [{ address: "aws_instance.m1", action: "delete" }],
    );
    expect(driftedResources(summary, true)).toEqual([
      { address: "aws_instance.m1", action: "delete" },
      { address: "aws_instance.m2", action: "update" },
    ]);
    expect(driftedResources(summary, false)).toEqual([{ address: "aws_instance.m1", action: "delete" }]);
    expect(describeDrift([{ address: "aws_instance.m3", action: "create" }], redactor)).toContain(
      "aws_instance.m3 (missing)",
    );
  });

  it("phrases a planned change standing for drift as what the plan restores", () => {
    const message = describeDrift(
      [{ address: "aws_instance.m2", action: "update" }],
      redactor,
      [],
      [{ ...tagChange, before: { tags: { Name: "by-hand" } }, after: { tags: { Name: "m2" } } }],
    );
    expect(message).toContain('aws_instance.m2 (updated: tags.Name is "by-hand", configured "m2")');
  });

  it("says there is no drift when Terraform found none", () => {
    expect(describeDrift([], redactor)).toContain("no drift");
  });

  it("lists leaf paths that differ only", () => {
    expect(changedPaths({ a: 1, b: { c: 2, d: 3 } }, { a: 1, b: { c: 2, d: 4 }, e: 5 })).toEqual([
      { path: "b.d", before: 3, after: 4 },
      { path: "e", before: undefined, after: 5 },
    ]);
  });
});
