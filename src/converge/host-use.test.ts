import { cpus } from "node:os";
import { describe, expect, it } from "vitest";
import { hostUseSampler, type MemoryReaders, memoryUse } from "./host-use.js";

describe("hostUseSampler", () => {
  it("reads memory and an idle-core figure within the machine's bounds", async () => {
    const sample = hostUseSampler();
    const first = sample();
    expect(first.availableBytes).toBeGreaterThan(0);
    expect(first.availableBytes).toBeLessThanOrEqual(first.totalBytes);
    expect(first.cpus).toBe(cpus().length);
    await new Promise((r) => setTimeout(r, 1_100));
    const second = sample();
    expect(second.idleCores).toBeGreaterThanOrEqual(0);
    // Idle time is per CPU, so a window can never show more idle cores than there are (a little timer slack).
    expect(second.idleCores).toBeLessThanOrEqual(second.cpus * 1.1);
  });
});

describe("memoryUse", () => {
  const GIB = 1024 ** 3;
  const readers = (limit: number | undefined, files: Record<string, string> = {}): MemoryReaders => ({
    freemem: () => 20 * GIB,
    totalmem: () => 24 * GIB,
    constrainedMemory: () => limit,
    readCgroupFile: (path) => files[path],
  });

  it("is the host's memory when the process has no limit (undefined, 0, or cgroup v1's 'unlimited')", () => {
    for (const limit of [undefined, 0, 2 ** 64, 24 * GIB])
      expect(memoryUse(readers(limit))).toEqual({ availableBytes: 20 * GIB, totalBytes: 24 * GIB });
  });

  it("is the container's limit less its cgroup's working set (cgroup v2), not the host's free memory", () => {
    const files = {
      "memory.current": `${3 * GIB}\n`,
      "memory.stat": `anon 1\ninactive_file ${GIB}\nactive_file 5\n`,
    };
    expect(memoryUse(readers(4 * GIB, files))).toEqual({ availableBytes: 2 * GIB, totalBytes: 4 * GIB });
  });

  it("reads cgroup v1's usage and total_inactive_file when v2's files are absent", () => {
    const files = {
      "memory/memory.usage_in_bytes": `${3 * GIB}\n`,
      "memory/memory.stat": `cache 9\ntotal_inactive_file ${GIB / 2}\n`,
    };
    expect(memoryUse(readers(4 * GIB, files))).toEqual({ availableBytes: 1.5 * GIB, totalBytes: 4 * GIB });
  });

  it("falls back to the host's free memory, capped at the limit, without a readable usage", () => {
    expect(memoryUse(readers(4 * GIB))).toEqual({ availableBytes: 4 * GIB, totalBytes: 4 * GIB });
    const busyHost = { ...readers(4 * GIB), freemem: () => GIB };
    expect(memoryUse(busyHost)).toEqual({ availableBytes: GIB, totalBytes: 4 * GIB });
  });
});
