import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRunHistory, retireRunRecord, writeRunRecord } from "./run-record.js";
import type { RunRecord } from "./types.js";

const record = (pid: number): RunRecord => ({
  pid,
  ownerPid: 1,
  hostname: "ctrl-0",
  operation: "plan",
  args: ["plan"],
  startedAt: "2026-11-28T08:00:00.000Z",
  stdoutFile: "/w/.runner/plan.stdout",
});

describe("run history", () => {
  it("moves an ended run into the history with how it ended, keeping the last 20", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-runs-"));
    for (let pid = 1; pid <= 22; pid++) {
      await writeRunRecord(dir, record(pid));
      await retireRunRecord(dir, record(pid), pid === 22 ? "signalled" : "exited", new Date(pid * 1000));
    }
    expect(existsSync(join(dir, "run.json"))).toBe(false);
    const history = await readRunHistory(dir);
    expect(history.map((run) => run.pid)).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
    expect(history.at(-1)).toMatchObject({ pid: 22, end: "signalled", endedAt: "1970-01-01T00:00:22.000Z" });
  });

  it("reads no history from a directory without one", async () => {
    expect(await readRunHistory(mkdtempSync(join(tmpdir(), "cf-runs-")))).toEqual([]);
  });
});
