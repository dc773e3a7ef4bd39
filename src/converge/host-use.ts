import { readFileSync } from "node:fs";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import type { HostUse } from "./run-slots.js";

/** Below this the previous CPU window is reused: a shorter one is mostly noise. */
const MIN_WINDOW_MS = 1_000;

/**
 * Reads the memory and CPU use for run admission. Idle cores come from the
 * kernel's per-CPU idle time over the window since the last sample, so they
 * reflect what runs are doing now (the load average lags by minutes and
 * counts processes waiting on I/O). Memory is the container's when it has a
 * limit (memoryUse).
 */
export function hostUseSampler(memory: MemoryReaders = systemMemory): () => HostUse {
  let last = { at: Date.now(), idleMs: idleMs() };
  // Before the first window has passed, the 1-minute load average is the only estimate there is.
  let idleCores = Math.max(0, cpus().length - (loadavg()[0] ?? 0));
  return () => {
    const now = Date.now();
    if (now - last.at >= MIN_WINDOW_MS) {
      const idle = idleMs();
      idleCores = Math.max(0, (idle - last.idleMs) / (now - last.at));
      last = { at: now, idleMs: idle };
    }
    return { ...memoryUse(memory), cpus: cpus().length, idleCores };
  };
}

/** Where memoryUse reads its figures (injected by tests). */
export interface MemoryReaders {
  /** os.freemem(): MemAvailable on Linux (libuv), what a new process can really get from the host. */
  freemem: () => number;
  totalmem: () => number;
  /** process.constrainedMemory(): the cgroup's limit. */
  constrainedMemory: () => number | undefined;
  /** A file of the process's cgroup (path relative to /sys/fs/cgroup); undefined when absent. */
  readCgroupFile: (path: string) => string | undefined;
}

const systemMemory: MemoryReaders = {
  freemem,
  totalmem,
  constrainedMemory: () => process.constrainedMemory?.(),
  readCgroupFile: (path) => {
    try {
      return readFileSync(`/sys/fs/cgroup/${path}`, "utf8");
    } catch {
      return undefined;
    }
  },
};

/**
 * Memory for run admission. Inside a pod the host's figures mean nothing:
 * the container's limit is the bound, and what its cgroup already uses
 * (less the page cache the kernel reclaims first, as the kubelet counts its
 * working set) comes off it. Node 20's process.constrainedMemory() gives
 * undefined or 0 when it knows no limit, and the cgroup v1 "unlimited"
 * figure (~2^63, read here as 2^64) when there is none: any value not below
 * the host's memory is no limit. Without a readable cgroup usage, the host's
 * free memory (capped at the limit) is the estimate.
 */
export function memoryUse(readers: MemoryReaders): Pick<HostUse, "availableBytes" | "totalBytes"> {
  const host = { availableBytes: readers.freemem(), totalBytes: readers.totalmem() };
  const limit = readers.constrainedMemory();
  if (!limit || !Number.isFinite(limit) || limit >= host.totalBytes) return host;
  const used = cgroupWorkingSet(readers.readCgroupFile);
  const available = used === undefined ? limit : Math.max(0, limit - used);
  return { availableBytes: Math.min(host.availableBytes, available), totalBytes: limit };
}

/** cgroup v2's memory.current, else v1's usage_in_bytes, less the inactive page cache. */
function cgroupWorkingSet(read: MemoryReaders["readCgroupFile"]): number | undefined {
  const layouts = [
    { usage: "memory.current", stat: "memory.stat", inactive: "inactive_file" },
    { usage: "memory/memory.usage_in_bytes", stat: "memory/memory.stat", inactive: "total_inactive_file" },
  ];
  for (const layout of layouts) {
    const usage = Number.parseInt(read(layout.usage)?.trim() ?? "", 10);
    if (!Number.isFinite(usage)) continue;
    return Math.max(0, usage - statField(read(layout.stat), layout.inactive));
  }
  return undefined;
}

function statField(text: string | undefined, field: string): number {
  const line = text?.split("\n").find((l) => l.startsWith(`${field} `));
  const value = Number.parseInt(line?.slice(field.length + 1) ?? "", 10);
  return Number.isFinite(value) ? value : 0;
}

function idleMs(): number {
  return cpus().reduce((sum, cpu) => sum + cpu.times.idle, 0);
}
