/**
 * The rolling-update arithmetic of Kubernetes Deployments, pure, on set
 * replica counts. `available` must already be capped at the set's
 * spec.replicas (a set being scaled down has fewer Machines coming).
 */
export interface SetCounts {
  name: string;
  /** spec.replicas */
  replicas: number;
  /** Available Machines, at most `replicas`. */
  available: number;
  /** Machines that exist, including ones being deleted (their instances may still run). */
  machines: number;
}

export interface Fenceposts {
  maxSurge: number;
  maxUnavailable: number;
}

/** An IntOrString: an integer, or "N%" of `total`, rounded up or down. Invalid text names the field. */
export function resolveIntOrPercent(
  value: number | string | undefined,
  total: number,
  roundUp: boolean,
  fallback: number,
  field: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value === "number") return Math.max(0, Math.trunc(value));
  const match = /^(\d+)%$/.exec(value.trim());
  if (match) {
    const exact = (Number(match[1]) * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  throw new RangeError(`${field}: "${value}" is neither an integer nor a percentage like "25%"`);
}

/**
 * maxSurge (default 1, rounded up) and maxUnavailable (default 0, rounded
 * down); when both come out 0, maxUnavailable is 1 so a rollout can move.
 */
export function resolveFenceposts(
  rollingUpdate: { maxSurge?: number | string; maxUnavailable?: number | string } | undefined,
  desired: number,
): Fenceposts {
  const maxSurge = resolveIntOrPercent(
    rollingUpdate?.maxSurge,
    desired,
    true,
    1,
    "spec.strategy.rollingUpdate.maxSurge",
  );
  const maxUnavailable = resolveIntOrPercent(
    rollingUpdate?.maxUnavailable,
    desired,
    false,
    0,
    "spec.strategy.rollingUpdate.maxUnavailable",
  );
  return maxSurge === 0 && maxUnavailable === 0
    ? { maxSurge, maxUnavailable: 1 }
    : { maxSurge, maxUnavailable };
}

const sum = (sets: readonly SetCounts[], pick: (set: SetCounts) => number) =>
  sets.reduce((total, set) => total + pick(set), 0);

/**
 * The new set's next replica count: straight to `desired` when above it;
 * otherwise up by as much as keeps every Machine (counting ones still being
 * deleted) within desired + maxSurge.
 */
export function newSetReplicas(
  desired: number,
  newSet: SetCounts,
  all: readonly SetCounts[],
  maxSurge: number,
): number {
  if (newSet.replicas >= desired) return desired;
  const current = sum(all, (set) => Math.max(set.replicas, set.machines));
  const room = desired + maxSurge - current;
  if (room <= 0) return newSet.replicas;
  return newSet.replicas + Math.min(room, desired - newSet.replicas);
}

/**
 * New replica counts for old sets (given oldest first) so that available
 * Machines never drop below desired - maxUnavailable: first shed old
 * Machines that are not available anyway, then available ones as far as the
 * budget allows. Returns only the sets that change.
 */
export function oldSetsReplicas(
  desired: number,
  newSet: SetCounts | undefined,
  oldSets: readonly SetCounts[],
  maxUnavailable: number,
): Map<string, number> {
  const changes = new Map<string, number>();
  if (sum(oldSets, (set) => set.replicas) === 0) return changes;
  const all = newSet ? [newSet, ...oldSets] : [...oldSets];
  const minAvailable = desired - maxUnavailable;
  const newUnavailable = newSet ? newSet.replicas - newSet.available : 0;
  let budget = sum(all, (set) => set.replicas) - minAvailable - newUnavailable;
  if (budget <= 0) return changes;
  const replicas = new Map(oldSets.map((set) => [set.name, set.replicas]));
  // 1. Unavailable old Machines cost no availability.
  for (const set of oldSets) {
    if (budget <= 0) break;
    const unhealthy = Math.min(budget, set.replicas - set.available);
    if (unhealthy > 0) {
      replicas.set(set.name, set.replicas - unhealthy);
      budget -= unhealthy;
    }
  }
  // 2. Available ones, as long as enough stay available.
  let spare = sum(all, (set) => set.available) - minAvailable;
  for (const set of oldSets) {
    if (spare <= 0) break;
    const current = replicas.get(set.name) ?? 0;
    const cut = Math.min(current, spare);
    replicas.set(set.name, current - cut);
    spare -= cut;
  }
  for (const set of oldSets) {
    const next = replicas.get(set.name) ?? set.replicas;
    if (next !== set.replicas) changes.set(set.name, next);
  }
  return changes;
}

/**
 * Paused: no rollout, but a changed replica count is still honoured. The
 * difference goes to the newest sets first (given newest first); removal
 * moves on to older sets once one reaches zero.
 */
export function pausedReplicas(desired: number, setsNewestFirst: readonly SetCounts[]): Map<string, number> {
  const changes = new Map<string, number>();
  let difference = desired - sum(setsNewestFirst, (set) => set.replicas);
  if (difference === 0 || setsNewestFirst.length === 0) return changes;
  const [newest] = setsNewestFirst;
  if (difference > 0 && newest) {
    changes.set(newest.name, newest.replicas + difference);
    return changes;
  }
  for (const set of setsNewestFirst) {
    if (difference === 0) break;
    const cut = Math.min(set.replicas, -difference);
    if (cut > 0) changes.set(set.name, set.replicas - cut);
    difference += cut;
  }
  return changes;
}
