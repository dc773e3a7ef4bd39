import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU and memory of process trees from Linux /proc (no external tool). CPU of
 * a finished child is in its parent's cutime/cstime once the parent has waited
 * for it, so "CPU of everything a process ran" = utime+stime+cutime+cstime.
 */

/** Linux reports /proc times in USER_HZ ticks, 100 per second on every mainstream kernel. */
const TICK_MS = 10;
const PAGE_BYTES = 4096;

interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime of the process itself. */
  selfMs: number;
  /** cutime + cstime: children it has waited for. */
  childrenMs: number;
}

function readStat(pid: number | "self"): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // comm is in parentheses and may hold spaces: fields after the last ")" are fixed.
  const close = text.lastIndexOf(")");
  const comm = text.slice(text.indexOf("(") + 1, close);
  const fields = text.slice(close + 2).split(" ");
  const n = (i: number) => Number(fields[i - 3]);
  return {
    pid: Number(text.slice(0, text.indexOf(" "))),
    comm,
    ppid: n(4),
    selfMs: (n(14) + n(15)) * TICK_MS,
    childrenMs: (n(16) + n(17)) * TICK_MS,
  };
}

export function assertProcAvailable(): void {
  if (!readStat("self"))
    throw new Error("this benchmark reads CPU and memory from /proc: it runs on Linux only");
}

/** CPU of the children this process has waited for (terraform runs, CLI runs that exited). */
export function waitedChildrenCpuMs(): number {
  return readStat("self")?.childrenMs ?? 0;
}

/** CPU of a live process and every child it has waited for. */
export function processCpuMs(pid: number): number {
  const stat = readStat(pid);
  return stat ? stat.selfMs + stat.childrenMs : 0;
}

function rssBytes(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * PAGE_BYTES;
  } catch {
    return 0;
  }
}

function allProcesses(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.push(stat);
  }
  return stats;
}

export interface TreeSample {
  /** RSS of every process under the roots (excluded subtrees left out). */
  rssBytes: number;
  /** Terraform processes alive, each with its provider plugins. */
  terraformRuns: number;
  /** The largest RSS of one Terraform process with its plugins. */
  maxTerraformRunBytes: number;
}

/**
 * One look at the trees under `roots`, leaving out the subtrees of `exclude` (the emulator);
 * `onlyTerraform` counts only Terraform runs (the benchmark itself is no part of a bare pipeline).
 */
export function sampleTrees(
  roots: readonly number[],
  exclude: readonly number[] = [],
  onlyTerraform = false,
): TreeSample {
  const stats = allProcesses();
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const subtreeRss = (pid: number): number =>
    rssBytes(pid) + (children.get(pid) ?? []).reduce((sum, c) => sum + subtreeRss(c.pid), 0);
  const sample: TreeSample = { rssBytes: 0, terraformRuns: 0, maxTerraformRunBytes: 0 };
  const visit = (pid: number, comm: string) => {
    if (exclude.includes(pid)) return;
    if (comm === "terraform") {
      const bytes = subtreeRss(pid);
      sample.terraformRuns++;
      sample.rssBytes += bytes;
      sample.maxTerraformRunBytes = Math.max(sample.maxTerraformRunBytes, bytes);
      return;
    }
    if (!onlyTerraform) sample.rssBytes += rssBytes(pid);
    for (const child of children.get(pid) ?? []) visit(child.pid, child.comm);
  };
  for (const root of roots) visit(root, readStat(root)?.comm ?? "");
  return sample;
}

/** Samples the trees every `everyMs` until stopped; returns the peaks. */
export function peakSampler(
  roots: () => readonly number[],
  exclude: readonly number[],
  onlyTerraform: boolean,
  everyMs = 250,
) {
  /** The largest figures seen: tree RSS, one run's RSS, Terraform runs alive at once. */
  const peak = { rssBytes: 0, maxTerraformRunBytes: 0, concurrentRuns: 0 };
  const timer = setInterval(() => {
    const sample = sampleTrees(roots(), exclude, onlyTerraform);
    peak.rssBytes = Math.max(peak.rssBytes, sample.rssBytes);
    peak.maxTerraformRunBytes = Math.max(peak.maxTerraformRunBytes, sample.maxTerraformRunBytes);
    peak.concurrentRuns = Math.max(peak.concurrentRuns, sample.terraformRuns);
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}
