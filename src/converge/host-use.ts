import { cpus, freemem, loadavg, totalmem } from "node:os";
import type { HostUse } from "./run-slots.js";

/** Below this the previous CPU window is reused: a shorter one is mostly noise. */
const MIN_WINDOW_MS = 1_000;

/**
 * Reads the host's memory and CPU use for run admission. Idle cores come
 * from the kernel's per-CPU idle time over the window since the last sample,
 * so they reflect what runs are doing now (the load average lags by minutes
 * and counts processes waiting on I/O).
 */
export function hostUseSampler(): () => HostUse {
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
    // os.freemem() is MemAvailable on Linux (libuv), what a new process can really get.
    return { availableBytes: freemem(), totalBytes: totalmem(), cpus: cpus().length, idleCores };
  };
}

function idleMs(): number {
  return cpus().reduce((sum, cpu) => sum + cpu.times.idle, 0);
}
