import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { processStartMs, runIsAlive } from "./liveness.js";

const sleeper = spawn("sleep", ["30"], { stdio: "ignore" });
afterAll(() => {
  sleeper.kill();
});

describe("runIsAlive", () => {
  it("reads a process's start time from /proc", () => {
    const started = processStartMs(sleeper.pid as number) ?? 0;
    expect(Math.abs(started - Date.now())).toBeLessThan(5_000);
  });

  it("knows the run's own live process", () => {
    expect(runIsAlive({ pid: sleeper.pid as number, startedAt: new Date().toISOString() })).toBe(true);
  });

  it("takes a process that started long after the run for a recycled pid: the run's process is gone", () => {
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
    expect(runIsAlive({ pid: sleeper.pid as number, startedAt: anHourAgo })).toBe(false);
  });

  it("says a gone pid is not alive", () => {
    expect(runIsAlive({ pid: 2 ** 22 + 1, startedAt: new Date().toISOString() })).toBe(false);
  });
});
