import { describe, expect, it } from "vitest";
import { adaptiveRunLimit } from "./run-limit.js";
import { GIB, type HostUse, memorySlots, runSlots } from "./run-slots.js";

const host = (over: Partial<HostUse> = {}): HostUse => ({
  availableBytes: 20 * GIB,
  totalBytes: 24 * GIB,
  cpus: 8,
  idleCores: 8,
  ...over,
});
const idle = { running: 0, warming: 0 };

describe("runSlots", () => {
  it("is bounded by memory: ~0.8 GB per run after a 10% reserve", () => {
    // (8 GiB - 2.4 GiB) / 0.8 GiB = 7
    expect(runSlots(host({ availableBytes: 8 * GIB }), idle, { cap: 16 })).toBe(7);
  });

  it("is bounded by idle cores: a run keeps ~0.3 of a core busy", () => {
    expect(runSlots(host({ idleCores: 1 }), idle, { cap: 16 })).toBe(3);
  });

  it("never exceeds the user's cap", () => {
    expect(runSlots(host(), idle, { cap: 3 })).toBe(3);
  });

  it("always allows one run, however busy the machine", () => {
    expect(runSlots(host({ availableBytes: 0, idleCores: 0 }), idle, { cap: 16 })).toBe(1);
  });

  it("lets a busy CPU alone hold runs no lower than two (they mostly wait on the cloud API); memory can", () => {
    expect(runSlots(host({ idleCores: 0 }), idle, { cap: 16 })).toBe(2);
    expect(runSlots(host({ idleCores: 0 }), { running: 2, warming: 2 }, { cap: 16 })).toBe(2);
    // 3.0 GiB - 2.4 GiB reserve fits no second run: memory is the hard bound.
    expect(runSlots(host({ idleCores: 0, availableBytes: 3 * GIB }), idle, { cap: 16 })).toBe(1);
    expect(runSlots(host({ idleCores: 0 }), idle, { cap: 1 })).toBe(1);
  });

  it("adds the runs already going (their use is in the host figures) to what still fits", () => {
    expect(
      runSlots(host({ availableBytes: 3.2 * GIB, idleCores: 8 }), { running: 5, warming: 0 }, { cap: 16 }),
    ).toBe(6);
  });

  it("charges warming runs their full share before they show in the host figures", () => {
    const settled = runSlots(host({ idleCores: 2 }), { running: 2, warming: 0 }, { cap: 16 });
    const warming = runSlots(host({ idleCores: 2 }), { running: 2, warming: 2 }, { cap: 16 });
    expect(settled).toBe(8);
    expect(warming).toBe(6);
  });

  it("takes a per-run footprint from the settings", () => {
    expect(runSlots(host(), idle, { cap: 64, memoryPerRunBytes: 2 * GIB, coresPerRun: 0.1 })).toBe(8);
  });
});

describe("memorySlots", () => {
  it("sizes the bare baseline by memory alone, capped", () => {
    expect(memorySlots({ availableBytes: 8 * GIB, totalBytes: 24 * GIB }, { cap: 16 })).toBe(7);
    expect(memorySlots({ availableBytes: 100 * GIB, totalBytes: 120 * GIB }, { cap: 16 })).toBe(16);
  });
});

describe("adaptiveRunLimit", () => {
  it("starts no more runs than the host allows and starts waiting ones as runs end", async () => {
    let active = 0;
    let peak = 0;
    const limit = adaptiveRunLimit({ cap: 16, host: () => host({ idleCores: 0.6 }), now: () => 0 });
    const release: (() => void)[] = [];
    const task = () =>
      limit(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise<void>((r) => release.push(r));
        active--;
      });
    const all = Promise.all([task(), task(), task(), task()]);
    await new Promise((r) => setTimeout(r, 10));
    // 0.6 idle cores fit two runs of 0.3 each; the host figures never change, the warming share stops a third.
    expect(active).toBe(2);
    while (release.length > 0 || active > 0) {
      release.shift()?.();
      await new Promise((r) => setTimeout(r, 5));
    }
    await all;
    expect(peak).toBe(2);
  });

  it("runs up to the cap when the host is idle", async () => {
    let active = 0;
    let peak = 0;
    const limit = adaptiveRunLimit({ cap: 3, host: () => host(), now: () => 0 });
    await Promise.all(
      Array.from({ length: 6 }, () =>
        limit(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });
});
