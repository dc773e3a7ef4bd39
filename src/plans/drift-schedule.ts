import {
  DEFAULT_DRIFT_INTERVAL_MS,
  driftCheckDelay,
  resolveDriftInterval,
  resolveInterval,
} from "./drift.js";

/**
 * Which drift check a converged cluster needs next. Clusters whose provider
 * has a cheap check (AWS, cheap-drift.ts) get it every drift interval and a
 * full Terraform plan every full-drift interval; the others (vSphere, or AWS
 * credentials the check cannot use) get a full plan every drift interval, as
 * before.
 */

export const FULL_DRIFT_INTERVAL_ANNOTATION = "clusterform.io/full-drift-interval";
export const DEFAULT_FULL_DRIFT_INTERVAL_MS = 60 * 60_000;

export interface DriftScheduleInput {
  annotations: Record<string, string> | undefined;
  /** --drift-interval (default 10m). */
  driftIntervalMs?: number | undefined;
  /** --full-drift-interval (default 1h). */
  fullDriftIntervalMs?: number | undefined;
  /** Whether this cluster has a cheap check. */
  cheapCheck: boolean;
  /** The last full plan (status.lastDriftCheck). */
  lastFull: string | undefined;
  /** The last cheap check. */
  lastCheap: string | undefined;
  /**
   * The last apply: the next check is an interval after it, not due the
   * moment a long apply ends (its plan just looked at everything, and no
   * watch event would bring the key back for a check due "now").
   */
  lastApply?: string | undefined;
  now: Date;
  /** Per-cluster jitter seed (the Cluster's uid). */
  seed: string;
}

export interface DriftSchedule {
  /** The check due now, if any. */
  due?: "full" | "cheap";
  /** Milliseconds until the next check (undefined: none scheduled). */
  delayMs?: number;
  /** An annotation that could not be read (the default was used). */
  problems: string[];
}

/** What the Cluster's drift annotations say that cannot be read (each names the annotation and the default used). */
export function driftAnnotationProblems(
  annotations: Record<string, string> | undefined,
  defaults: Pick<DriftScheduleInput, "driftIntervalMs" | "fullDriftIntervalMs"> = {},
): string[] {
  return driftSchedule({
    annotations,
    ...defaults,
    cheapCheck: true,
    lastFull: undefined,
    lastCheap: undefined,
    now: new Date(0),
    seed: "",
  }).problems;
}

export function driftSchedule(input: DriftScheduleInput): DriftSchedule {
  const drift = resolveDriftInterval(input.annotations, input.driftIntervalMs ?? DEFAULT_DRIFT_INTERVAL_MS);
  const full = resolveInterval(
    FULL_DRIFT_INTERVAL_ANNOTATION,
    input.annotations,
    input.fullDriftIntervalMs ?? DEFAULT_FULL_DRIFT_INTERVAL_MS,
  );
  const problems = [drift.problem, full.problem].filter((p): p is string => p !== undefined);
  const interval = drift.intervalMs;
  if (interval === undefined) return { problems };
  const { now, seed } = input;
  const lastFull = latest(input.lastFull, input.lastApply);
  if (!input.cheapCheck) return pick(driftCheckDelay(lastFull, now, interval, seed), undefined, problems);
  // A full interval shorter than the drift interval would make the cheap check pointless: full plans win.
  const fullDelay =
    full.intervalMs === undefined
      ? undefined
      : driftCheckDelay(lastFull, now, Math.max(full.intervalMs, interval), seed);
  const cheapDelay = driftCheckDelay(latest(lastFull, input.lastCheap), now, interval, seed);
  return pick(fullDelay, cheapDelay, problems);
}

function pick(
  fullDelay: number | undefined,
  cheapDelay: number | undefined,
  problems: string[],
): DriftSchedule {
  if (fullDelay === 0) return { due: "full", delayMs: 0, problems };
  if (cheapDelay === 0) return { due: "cheap", delayMs: 0, problems };
  const delays = [fullDelay, cheapDelay].filter((d): d is number => d !== undefined);
  return delays.length > 0 ? { delayMs: Math.min(...delays), problems } : { problems };
}

function latest(a: string | undefined, b: string | undefined): string | undefined {
  if (!a || !b) return a || b;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
