import { readFileSync } from "node:fs";

/**
 * Whether the process a run record names is still that run's process. A pid
 * alone is not enough: after a container restart pids start from 1 again,
 * and a crashed run's pid is soon someone else's. On Linux the process's
 * start time tells: a process that started well after the run did is a
 * recycled pid, and the run's own process is gone.
 */
export function runIsAlive(run: { pid: number; startedAt: string }): boolean {
  if (!isAlive(run.pid)) return false;
  const started = processStartMs(run.pid);
  const recorded = Date.parse(run.startedAt);
  if (started === undefined || Number.isNaN(recorded)) return true;
  return started <= recorded + SPAWN_SLACK_MS;
}

/** startedAt is taken just before spawning; /proc's boot time has 1 s granularity. */
const SPAWN_SLACK_MS = 10_000;
/** USER_HZ: the unit of /proc/<pid>/stat times, 100 on every mainstream Linux architecture. */
const TICKS_PER_SECOND = 100;

/** When the process started (epoch ms), from /proc; undefined off Linux or when it is gone. */
export function processStartMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // After the command name (which may hold spaces): state is field 3, starttime field 22.
    const ticks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
    const boot = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(boot)) return undefined;
    return boot * 1000 + (ticks / TICKS_PER_SECOND) * 1000;
  } catch {
    return undefined;
  }
}

/** True while a process with this pid exists (EPERM: it exists but is not ours). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
