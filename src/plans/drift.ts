import type { Redactor } from "../terraform/redact.js";
import type { PlanSummary, RedactedResourceChange, ResourceChangeRef } from "../terraform/types.js";
import { sha256 } from "../util/hash.js";
import { listSome } from "./apply-policy.js";
import { formatDuration, parseDuration } from "./duration.js";

/**
 * Drift: a periodic check per converged cluster (a cheap cloud read or a
 * full plan: drift-schedule.ts decides which). These helpers
 * decide when the next check is due (interval from annotation or flag, with a
 * per-cluster jitter so many clusters do not refresh at once) and turn the
 * drift Terraform found into a short, redacted message.
 */

export const DRIFT_INTERVAL_ANNOTATION = "clusterform.io/drift-interval";
export const DEFAULT_DRIFT_INTERVAL_MS = 10 * 60_000;
/** Each check costs seconds of CPU; a shorter interval is raised to this. */
export const MIN_DRIFT_INTERVAL_MS = 5_000;
/** Checks land within ±10% of the interval. */
export const DRIFT_JITTER = 0.1;

export interface ResolvedDriftInterval {
  /** undefined: drift checks are off for this cluster. */
  intervalMs: number | undefined;
  problem?: string;
}

/** The cluster's interval: annotation (a duration, or "off"), else the controller flag. */
export function resolveDriftInterval(
  annotations: Record<string, string> | undefined,
  controllerDefaultMs: number | undefined = DEFAULT_DRIFT_INTERVAL_MS,
): ResolvedDriftInterval {
  return resolveInterval(DRIFT_INTERVAL_ANNOTATION, annotations, controllerDefaultMs);
}

/** An interval annotation (a duration, or "off"), else the controller's default; at least MIN_DRIFT_INTERVAL_MS. */
export function resolveInterval(
  annotation: string,
  annotations: Record<string, string> | undefined,
  controllerDefaultMs: number | undefined,
): ResolvedDriftInterval {
  const raw = annotations?.[annotation]?.trim();
  if (raw === undefined || raw === "") return { intervalMs: controllerDefaultMs };
  if (raw === "off" || raw === "0") return { intervalMs: undefined };
  const ms = parseDuration(raw);
  if (ms === undefined) {
    return {
      intervalMs: controllerDefaultMs,
      problem: `annotation ${annotation}="${raw}" is not a duration like 10m or 1h30m (or "off"); using ${controllerDefaultMs === undefined ? "off" : formatDuration(controllerDefaultMs)}`,
    };
  }
  return { intervalMs: Math.max(ms, MIN_DRIFT_INTERVAL_MS) };
}

/**
 * The interval with this cluster's jitter. The jitter is derived from a seed
 * (the Cluster's uid), not drawn at random, so the schedule is stable across
 * passes and restarts yet differs between clusters.
 */
export function jitteredInterval(intervalMs: number, seed: string): number {
  const unit = Number.parseInt(sha256(seed).slice(0, 8), 16) / 0xffffffff;
  return Math.round(intervalMs * (1 - DRIFT_JITTER + 2 * DRIFT_JITTER * unit));
}

/** Milliseconds until the next drift check (0: due now). */
export function driftCheckDelay(
  lastCheck: string | undefined,
  now: Date,
  intervalMs: number,
  seed: string,
): number {
  if (!lastCheck) return 0;
  const last = Date.parse(lastCheck);
  if (Number.isNaN(last)) return 0;
  return Math.max(0, last + jitteredInterval(intervalMs, seed) - now.getTime());
}

/**
 * What a plan says drifted. Terraform lists under resource_drift only changes
 * it judges relevant to the plan, so a tag changed by hand shows up only as
 * the update that restores it. When the configuration is unchanged since the
 * last apply (a drift check), every planned change is therefore drift too.
 */
export function driftedResources(summary: PlanSummary, configUnchanged: boolean): ResourceChangeRef[] {
  const refs = [...summary.drift];
  if (!configUnchanged) return refs;
  const seen = new Set(refs.map((r) => r.address));
  for (const change of summary.changes) if (!seen.has(change.address)) refs.push(change);
  return refs;
}

const MAX_ITEMS = 10;
const MAX_VALUE = 40;

/**
 * "2 resources changed outside Terraform: aws_instance.m1 (deleted),
 * aws_instance.m2 (updated: tags.Name "a" -> "b")". Values come from the
 * redacted plan JSON (sensitive ones already masked) and the whole message
 * goes through the redactor again.
 */
export function describeDrift(
  drift: readonly ResourceChangeRef[],
  redactor: Redactor,
  details: readonly RedactedResourceChange[] = [],
  plannedChanges: readonly RedactedResourceChange[] = [],
): string {
  if (drift.length === 0) return "no drift: the infrastructure matches the Terraform state";
  const drifted = new Map(details.map((d) => [d.address, d]));
  const planned = new Map(plannedChanges.map((d) => [d.address, d]));
  const items = drift.map((ref) => describeOne(ref, drifted.get(ref.address), planned.get(ref.address)));
  const noun = drift.length === 1 ? "resource" : "resources";
  return redactor.redactText(
    `${drift.length} ${noun} changed outside Terraform: ${listSome(items, MAX_ITEMS)}`,
  );
}

/**
 * Drift details read "old -> new" (what happened outside); a planned change
 * that stands for drift reads "is X, configured Y" (what the plan restores).
 */
function describeOne(
  ref: ResourceChangeRef,
  drifted: RedactedResourceChange | undefined,
  planned: RedactedResourceChange | undefined,
): string {
  const verb = VERBS[ref.action] ?? ref.action;
  if (ref.action !== "update" || (!drifted && !planned)) return `${ref.address} (${verb})`;
  const changes = drifted
    ? changedPaths(drifted.before, drifted.after).map(
        ({ path, before, after }) => `${path} ${showValue(before)} -> ${showValue(after)}`,
      )
    : changedPaths(planned?.before, planned?.after).map(
        ({ path, before, after }) => `${path} is ${showValue(before)}, configured ${showValue(after)}`,
      );
  return changes.length > 0
    ? `${ref.address} (${verb}: ${listSome(changes, 3)})`
    : `${ref.address} (${verb})`;
}

const VERBS: Record<string, string> = {
  delete: "deleted",
  update: "updated",
  create: "missing",
  replace: "must be replaced",
};

export interface ChangedPath {
  path: string;
  before: unknown;
  after: unknown;
}

/** Leaf paths whose value differs between two JSON values (objects compared key by key). */
export function changedPaths(before: unknown, after: unknown, prefix = ""): ChangedPath[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => changedPaths(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: prefix || "(value)", before, after }];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A value for a drift message: JSON, shortened. */
export function showValue(value: unknown): string {
  const text = value === undefined ? "(none)" : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 3)}...` : text;
}
