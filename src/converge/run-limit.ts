import { hostUseSampler } from "./host-use.js";
import { type HostUse, type Running, runSlots, type SlotSettings } from "./run-slots.js";

/** A run's memory and CPU show in the host figures after its provider has loaded (seconds). */
const WARMING_MS = 10_000;
/** While runs wait and none ends, the host is looked at again this often (others may have freed it). */
const RECHECK_MS = 2_000;

export type RunLimit = <T>(task: () => Promise<T>) => Promise<T>;

export interface RunLimitOptions extends SlotSettings {
  host?: () => HostUse;
  now?: () => number;
}

/**
 * Terraform runs at once bounded by what they consume (run-slots.ts), never
 * more than the user's cap; waiting runs start in arrival order.
 */
export function adaptiveRunLimit(options: RunLimitOptions): RunLimit {
  const host = options.host ?? hostUseSampler();
  const now = options.now ?? Date.now;
  const started: number[] = [];
  const waiting: ((startedAt: number) => void)[] = [];
  let timer: NodeJS.Timeout | undefined;

  const running = (): Running => {
    const t = now();
    return { running: started.length, warming: started.filter((at) => t - at < WARMING_MS).length };
  };
  const pump = () => {
    while (waiting.length > 0 && started.length < runSlots(host(), running(), options)) {
      // Counted as running before the next decision in this loop.
      const at = now();
      started.push(at);
      waiting.shift()?.(at);
    }
    if (waiting.length > 0 && !timer) {
      timer = setTimeout(() => {
        timer = undefined;
        pump();
      }, RECHECK_MS);
      timer.unref();
    }
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    const at = await new Promise<number>((admit) => {
      waiting.push(admit);
      pump();
    });
    try {
      return await task();
    } finally {
      started.splice(started.indexOf(at), 1);
      pump();
    }
  };
}
