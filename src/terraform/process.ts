import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { PrerequisiteError } from "../errors.js";
import { removeRunRecord, retireRunRecord, writeRunRecord } from "./run-record.js";
import { LineTail } from "./tail.js";
import type { RunRecord, TerraformOperation } from "./types.js";

/**
 * Runs one Terraform process: in its own process group (so a Ctrl-C meant for
 * us, or our crash, does not hit it mid-apply), output to files, a run record
 * while it lives, cancellation as SIGINT to the group -> grace -> SIGTERM ->
 * SIGKILL last, and a timeout that cancels the same way.
 */

export interface ProcessSpec {
  binary: string;
  args: string[];
  cwd: string;
  runnerDir: string;
  env: Record<string, string>;
  operation: TerraformOperation;
  timeoutMs: number;
  /** How long Terraform may take to stop gracefully after the first SIGINT. */
  cancelGraceMs: number;
  signal?: AbortSignal;
  onStart?: (pid: number) => void;
  onLine?: (line: string) => void;
}

export interface ProcessOutcome {
  exitCode: number | null;
  /** Everything Terraform wrote to stdout is in this file (kept until the next run of the same operation). */
  stdoutFile: string;
  stderr: string;
  durationMs: number;
  cpuMs?: number;
  cancelled: boolean;
  timedOut: boolean;
}

/** Between the second SIGINT, SIGTERM and SIGKILL. */
const ESCALATION_STEP_MS = 5_000;
const STDERR_TAIL_BYTES = 16 * 1024;

export async function runProcess(spec: ProcessSpec): Promise<ProcessOutcome> {
  spec.signal?.throwIfAborted();
  const stdoutFile = join(spec.runnerDir, `${spec.operation}.stdout`);
  const stderrFile = join(spec.runnerDir, `${spec.operation}.stderr`);
  const started = Date.now();
  const cpuBefore = childrenCpuMs();
  const child = spawnDetached(spec, stdoutFile, stderrFile);
  const pid = child.pid;
  if (pid === undefined) throw missingBinary(spec, (await child.exited).spawnError);

  spec.onStart?.(pid);
  const record: RunRecord = {
    pid,
    ownerPid: process.pid,
    hostname: hostname(),
    operation: spec.operation,
    args: spec.args,
    startedAt: new Date(started).toISOString(),
    stdoutFile,
  };
  await writeRunRecord(spec.runnerDir, record);
  let killedBySignal = false;
  const onLine = spec.onLine;
  const tail = onLine ? new LineTail(stdoutFile, onLine) : undefined;
  tail?.start();
  const stopper = new GroupStopper(pid, spec.cancelGraceMs);
  const onAbort = () => stopper.stop("cancelled");
  spec.signal?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => stopper.stop("timedOut"), spec.timeoutMs);
  try {
    const result = await child.exited;
    killedBySignal = result.signal !== undefined;
    await stopper.reapGroup();
    await tail?.finish();
    const cpuAfter = childrenCpuMs();
    return {
      exitCode: result.exitCode,
      stdoutFile,
      stderr: await readTail(stderrFile),
      durationMs: Date.now() - started,
      cpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
      cancelled: stopper.why === "cancelled",
      timedOut: stopper.why === "timedOut",
    };
  } finally {
    clearTimeout(timer);
    stopper.dispose();
    spec.signal?.removeEventListener("abort", onAbort);
    // A killed Terraform may have left its state lock behind: the history lets a later run tell.
    await retireRunRecord(spec.runnerDir, record, killedBySignal ? "signalled" : "exited").catch(() =>
      removeRunRecord(spec.runnerDir),
    );
  }
}

interface ChildExit {
  exitCode: number | null;
  /** Set when a signal ended it. */
  signal?: NodeJS.Signals;
  spawnError?: NodeJS.ErrnoException;
}

/**
 * child_process rather than execa here: Terraform's stdout/stderr must be
 * file descriptors it owns (execa's file targets pipe through this process,
 * and its types refuse arbitrary descriptors).
 */
function spawnDetached(spec: ProcessSpec, stdoutFile: string, stderrFile: string) {
  const stdout = openSync(stdoutFile, "w", 0o600);
  const stderr = openSync(stderrFile, "w", 0o600);
  try {
    const child = spawn(spec.binary, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ["ignore", stdout, stderr],
    });
    const exited = new Promise<ChildExit>((resolve) => {
      child.once("error", (error) => resolve({ exitCode: null, spawnError: error }));
      child.once("exit", (code, signal) => resolve(signal ? { exitCode: null, signal } : { exitCode: code }));
    });
    return { pid: child.pid, exited };
  } finally {
    closeSync(stdout);
    closeSync(stderr);
  }
}

function missingBinary(spec: ProcessSpec, error: NodeJS.ErrnoException | undefined): Error {
  if (error?.code === "ENOENT" || error?.code === "EACCES") {
    return new PrerequisiteError(
      `cannot run Terraform binary "${spec.binary}" (${error.code}): install terraform >= 1.5 ` +
        "(https://developer.hashicorp.com/terraform/install) or OpenTofu, put it on PATH, " +
        "or point --terraform-bin / CLUSTERFORM_TERRAFORM_BIN at it",
    );
  }
  return new Error(`could not start ${spec.binary} in ${spec.cwd}: ${error?.message ?? "no pid"}`);
}

/**
 * Escalates signals to a process group. SIGINT first (Terraform stops
 * gracefully, finishing in-flight provider calls and saving state); after the
 * grace a second SIGINT (Terraform exits at once); then SIGTERM; SIGKILL last.
 */
class GroupStopper {
  why: "cancelled" | "timedOut" | undefined;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly pgid: number,
    private readonly graceMs: number,
  ) {}

  stop(why: "cancelled" | "timedOut"): void {
    if (this.why) return;
    this.why = why;
    this.signal("SIGINT");
    const steps: [number, NodeJS.Signals][] = [
      [this.graceMs, "SIGINT"],
      [this.graceMs + ESCALATION_STEP_MS, "SIGTERM"],
      [this.graceMs + 2 * ESCALATION_STEP_MS, "SIGKILL"],
    ];
    for (const [delay, name] of steps) this.timers.push(setTimeout(() => this.signal(name), delay));
  }

  /** After the leader exits, its providers should be gone too; kill any straggler. */
  async reapGroup(): Promise<void> {
    for (let waited = 0; groupAlive(this.pgid) && waited < 2_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (groupAlive(this.pgid)) this.signal("SIGKILL");
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  private signal(name: NodeJS.Signals): void {
    try {
      process.kill(-this.pgid, name);
    } catch {
      // The group is already gone.
    }
  }
}

/** True while any process of the group exists. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readTail(file: string): Promise<string> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.length > STDERR_TAIL_BYTES ? text.slice(-STDERR_TAIL_BYTES) : text;
}

/** CPU of this process's reaped children (utime+stime of exited children, Linux only). */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the command name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
    const ticks = Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}
