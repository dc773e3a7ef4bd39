import { describe, expect, it } from "vitest";
import type { FinishedRun } from "./run-record.js";
import { decideStaleLock, goTimeToIso, parseLockInfo, type StateLockInfo } from "./state-lock.js";

const HOST = "ctrl-0";
const WHO = `clusterform@${HOST}`;

function run(overrides: Partial<FinishedRun> = {}): FinishedRun {
  return {
    pid: 4242,
    ownerPid: 4200,
    hostname: HOST,
    operation: "apply",
    args: ["apply"],
    startedAt: "2026-11-28T08:00:00.000Z",
    stdoutFile: "/w/.runner/apply.stdout",
    endedAt: "2026-11-28T08:10:00.000Z",
    end: "abandoned",
    ...overrides,
  };
}

const lock: StateLockInfo = {
  id: "0f1e2d3c-0000-1111-2222-333344445555",
  operation: "OperationTypeApply",
  who: WHO,
  created: "2026-11-28T08:00:03.500Z",
};

const decide = (overrides: {
  lock?: StateLockInfo;
  runs?: FinishedRun[];
  alive?: number[];
  who?: string;
  hostname?: string;
}) =>
  decideStaleLock({
    lock: overrides.lock ?? lock,
    runs: overrides.runs ?? [run()],
    who: overrides.who ?? WHO,
    hostname: overrides.hostname ?? HOST,
    isAlive: (run) => (overrides.alive ?? []).includes(run.pid),
  });

describe("decideStaleLock", () => {
  it("clears a lock this user took on this host during an abandoned run whose process is dead", () => {
    const verdict = decide({});
    expect(verdict).toMatchObject({ stale: true, run: { pid: 4242 } });
    expect(verdict.reason).toContain("process 4242 is gone");
  });

  it("clears a lock taken during a run killed by a signal", () => {
    expect(decide({ runs: [run({ end: "signalled" })] }).stale).toBe(true);
  });

  it("never clears a lock held by another user or host (a pipeline)", () => {
    const verdict = decide({ lock: { ...lock, who: "ci@runner-7" } });
    expect(verdict).toEqual({ stale: false, reason: `held by ci@runner-7, not by ${WHO}` });
  });

  it("never clears a lock whose run's process is still alive", () => {
    const verdict = decide({ alive: [4242] });
    expect(verdict.stale).toBe(false);
    expect(verdict.reason).toContain("is alive");
  });

  it("never blames a run that exited by itself (Terraform releases its lock on exit)", () => {
    expect(decide({ runs: [run({ end: "exited" })] }).stale).toBe(false);
  });

  it("needs the lock to be taken within the run's lifetime", () => {
    expect(decide({ lock: { ...lock, created: "2026-11-28T07:59:59.000Z" } }).stale).toBe(false);
    expect(decide({ lock: { ...lock, created: "2026-11-28T08:10:00.001Z" } }).stale).toBe(false);
  });

  it("ignores runs recorded on another host (a shared state directory)", () => {
    expect(decide({ runs: [run({ hostname: "ctrl-1" })] }).stale).toBe(false);
  });

  it("refuses a lock without a creation time or without any run of ours", () => {
    const { created: _created, ...undated } = lock;
    expect(decide({ lock: undated }).stale).toBe(false);
    expect(decide({ runs: [] }).reason).toContain("no run of this working directory");
  });
});

describe("parseLockInfo", () => {
  it("reads every field of Terraform's Lock Info block and normalises Go's time format", () => {
    const detail =
      "Error message: operation error S3: PutObject, https response error StatusCode: 412\n" +
      "Lock Info:\n  ID:        09939251-a6d6-03ad-f495-7e6f772b7960\n  Path:      bucket/key.tflock\n" +
      "  Operation: OperationTypeApply\n  Who:       ci@runner\n  Version:   1.11.4\n" +
      "  Created:   2026-11-28 05:28:30.183193333 +0000 UTC\n  Info:      \n\n\nTerraform acquires a state lock";
    expect(parseLockInfo(detail)).toEqual({
      id: "09939251-a6d6-03ad-f495-7e6f772b7960",
      path: "bucket/key.tflock",
      operation: "OperationTypeApply",
      who: "ci@runner",
      version: "1.11.4",
      created: "2026-11-28T05:28:30.183Z",
    });
  });

  it("gives nothing without a lock id", () => {
    expect(parseLockInfo("Error message: timeout")).toBeUndefined();
  });

  it("reads RFC 3339 times (the lock file's JSON) and offsets", () => {
    expect(goTimeToIso("2026-11-28T05:28:30.183193333Z")).toBe("2026-11-28T05:28:30.183Z");
    expect(goTimeToIso("2026-11-28 07:28:30 +0200 EET")).toBe("2026-11-28T05:28:30.000Z");
    expect(goTimeToIso("yesterday")).toBeUndefined();
  });
});
