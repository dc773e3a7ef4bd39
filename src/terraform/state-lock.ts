import { hostname, userInfo } from "node:os";
import type { FinishedRun } from "./run-record.js";

/**
 * Terraform's state lock (not the runner's directory lock): what it says
 * about its holder, and whether a lock left behind is provably ours and
 * abandoned. Local backends lock with fcntl, which the OS releases when the
 * holder dies; s3 (`<key>.tflock`) and kubernetes (a Lease) locks outlive
 * their holder, so a crashed run leaves them behind.
 */

/** Terraform's LockInfo, as printed under "Lock Info:" in "Error acquiring the state lock". */
export interface StateLockInfo {
  id: string;
  path?: string;
  /** OperationTypePlan, OperationTypeApply, ... */
  operation?: string;
  /** user@host of the process that took it. */
  who?: string;
  version?: string;
  /** When it was taken, ISO 8601 (Terraform prints Go's time format; normalised here). */
  created?: string;
  info?: string;
}

const FIELDS: Record<string, keyof StateLockInfo> = {
  ID: "id",
  Path: "path",
  Operation: "operation",
  Who: "who",
  Version: "version",
  Created: "created",
  Info: "info",
};

/** Reads the "Lock Info:" block of Terraform's diagnostic detail; undefined without an ID. */
export function parseLockInfo(detail: string): StateLockInfo | undefined {
  const block = detail.slice(detail.indexOf("Lock Info:"));
  const info: Partial<Record<keyof StateLockInfo, string>> = {};
  for (const match of block.matchAll(/^\s*(ID|Path|Operation|Who|Version|Created|Info):[ \t]*(.*)$/gm)) {
    const field = FIELDS[match[1] ?? ""];
    const value = match[2]?.trim();
    if (field && value && info[field] === undefined) info[field] = value;
  }
  if (!info.id) return undefined;
  const created = info.created ? goTimeToIso(info.created) : undefined;
  return { ...info, id: info.id, ...(created ? { created } : {}) } as StateLockInfo;
}

/** Go's time.String() ("2026-11-28 05:28:30.183193333 +0000 UTC") or RFC 3339, as ISO 8601 with ms. */
export function goTimeToIso(text: string): string | undefined {
  const go = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(\.\d+)? ([+-]\d\d)(\d\d)/.exec(text);
  const iso = go ? `${go[1]}T${go[2]}${(go[3] ?? "").slice(0, 4)}${go[4]}:${go[5]}` : text;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/**
 * The Who Terraform writes into locks this process's Terraform takes:
 * `user@host`, the user from the password database (Terraform is built
 * without cgo and then falls back to $USER), the host from the kernel.
 */
export function terraformWho(env: NodeJS.ProcessEnv = process.env): string {
  let user = "";
  try {
    user = userInfo().username;
  } catch {
    user = env.USER ?? "";
  }
  return `${user}@${hostname()}`;
}

export type StaleLockVerdict =
  | { stale: true; run: FinishedRun; reason: string }
  | { stale: false; reason: string };

export interface StaleLockInput {
  lock: StateLockInfo;
  /** This working directory's past runs (the run history plus any abandoned run record). */
  runs: readonly FinishedRun[];
  /** terraformWho() of this process. */
  who: string;
  hostname: string;
  /** Whether the run's own process still lives (a recycled pid does not count; liveness.ts). */
  isAlive: (run: FinishedRun) => boolean;
}

/**
 * A lock is ours and abandoned only when all hold: Terraform on this host as
 * this user took it (Who), and one of this directory's runs that did not
 * exit by itself (killed by a signal, or abandoned by a crashed owner) is
 * dead and was alive when the lock was taken. Terraform that exits on its
 * own releases its lock, so normally ended runs are never blamed: that keeps
 * a concurrent run of the same user on this host (one of ours failing on its
 * lock) from being mistaken for the holder. Anything else is waited for.
 */
export function decideStaleLock(input: StaleLockInput): StaleLockVerdict {
  const { lock, who } = input;
  if (lock.who !== who)
    return { stale: false, reason: `held by ${lock.who ?? "an unknown holder"}, not by ${who}` };
  const created = lock.created ? Date.parse(lock.created) : Number.NaN;
  if (Number.isNaN(created)) return { stale: false, reason: "the lock does not say when it was taken" };
  const during = input.runs.filter(
    (run) =>
      run.hostname === input.hostname &&
      run.end !== "exited" &&
      Date.parse(run.startedAt) <= created &&
      created <= Date.parse(run.endedAt),
  );
  const dead = during.find((run) => !input.isAlive(run));
  if (dead) {
    return {
      stale: true,
      run: dead,
      reason: `taken during ${describeRun(dead)}, whose process ${dead.pid} is gone`,
    };
  }
  if (during.length > 0)
    return { stale: false, reason: `the process of ${describeRun(during[0] as FinishedRun)} is alive` };
  return {
    stale: false,
    reason: `no run of this working directory that died without releasing its lock was alive at ${lock.created}`,
  };
}

function describeRun(run: FinishedRun): string {
  const how = run.end === "abandoned" ? "an abandoned" : "a killed";
  return `${how} terraform ${run.operation} started ${run.startedAt}`;
}

/** "ci@runner (OperationTypeApply) since 2026-...Z, lock 0993..." for messages. */
export function describeLock(lock: StateLockInfo | undefined, lockId: string | undefined): string {
  if (!lock) return lockId ? `lock ${lockId}` : "an unreadable lock";
  const operation = lock.operation ? ` (${lock.operation})` : "";
  const since = lock.created ? ` since ${lock.created}` : "";
  return `${lock.who ?? "an unknown holder"}${operation}${since}, lock ${lock.id}`;
}
