import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WorkspaceBusyError } from "./errors.js";
import { withDirectoryLock } from "./lock.js";
import { readRunHistory } from "./run-record.js";

const sleeper = spawn("sleep", ["60"], { stdio: "ignore" });
afterAll(() => {
  sleeper.kill();
});

function deadPid(): number {
  const child = spawnSync("sh", ["-c", "echo $$"], { encoding: "utf8" });
  return Number(child.stdout.trim());
}

function writeLock(dir: string, pid: number): void {
  const content = { pid, hostname: hostname(), operation: "plan", acquiredAt: new Date().toISOString() };
  writeFileSync(join(dir, "lock"), JSON.stringify(content));
}

describe("withDirectoryLock", () => {
  it("serialises operations on one directory inside a process", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-lock-"));
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      log.push(`${name} end`);
    };
    await Promise.all([withDirectoryLock(dir, "a", task("a")), withDirectoryLock(dir, "b", task("b"))]);
    expect(log).toEqual(["a start", "a end", "b start", "b end"]);
    expect(existsSync(join(dir, "lock"))).toBe(false);
  });

  it("refuses a directory locked by another live process", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-lock-"));
    writeLock(dir, sleeper.pid as number);
    const attempt = withDirectoryLock(dir, "apply", async () => "ran");
    await expect(attempt).rejects.toBeInstanceOf(WorkspaceBusyError);
    await expect(attempt).rejects.toMatchObject({ holderPid: sleeper.pid, retryable: true });
  });

  it("clears a lock whose holder died", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-lock-"));
    writeLock(dir, deadPid());
    expect(await withDirectoryLock(dir, "plan", async () => "ran")).toBe("ran");
  });

  it("waits for Terraform a dead holder left running before taking over, and keeps its record as abandoned", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-lock-"));
    const orphan = spawn("sleep", ["0.6"], { stdio: "ignore" });
    writeLock(dir, deadPid());
    writeFileSync(
      join(dir, "run.json"),
      JSON.stringify({ pid: orphan.pid, hostname: hostname(), operation: "apply" }),
    );
    await withDirectoryLock(dir, "plan", async () => undefined, 10_000);
    expect(orphan.exitCode ?? orphan.signalCode).not.toBeNull();
    expect(existsSync(join(dir, "run.json"))).toBe(false);
    // Its Terraform may have died holding a state lock: the history says when it was found dead.
    const [retired] = await readRunHistory(dir);
    expect(retired).toMatchObject({ pid: orphan.pid, operation: "apply", end: "abandoned" });
    expect(Date.parse(retired?.endedAt ?? "")).toBeLessThanOrEqual(Date.now());
  });

  it("gives up waiting for an abandoned run after the limit", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-lock-"));
    writeLock(dir, deadPid());
    writeFileSync(
      join(dir, "run.json"),
      JSON.stringify({ pid: sleeper.pid, hostname: hostname(), operation: "apply" }),
    );
    await expect(withDirectoryLock(dir, "plan", async () => undefined, 0)).rejects.toMatchObject({
      holderOperation: "abandoned apply",
    });
  });
});
