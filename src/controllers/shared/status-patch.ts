import type { KubernetesObject } from "@kubernetes/client-node";
import { type ApiClient, isConflict } from "../runtime/api-client.js";
import type { ResourceRef } from "../runtime/resource.js";

/**
 * The merge patch that turns `current` into `desired` (RFC 7386): changed
 * keys carry their new value, removed keys null, arrays are replaced whole.
 * Undefined when nothing changed.
 */
export function mergePatchBetween(current: unknown, desired: unknown): unknown {
  if (!isPlainObject(current) || !isPlainObject(desired)) {
    return deepEqual(current, desired) ? undefined : (desired ?? null);
  }
  const patch: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(current), ...Object.keys(desired)])) {
    if (!(key in desired) || desired[key] === undefined) {
      if (key in current && current[key] !== undefined) patch[key] = null;
      continue;
    }
    const child = mergePatchBetween(current[key], desired[key]);
    if (child !== undefined) patch[key] = child;
  }
  return Object.keys(patch).length ? patch : undefined;
}

/**
 * Writes `desired` as the object's status with one merge patch on /status,
 * or nothing when it already matches. Returns the updated object (or the
 * current one when skipped). Fields absent from `desired` are removed.
 */
export async function patchStatus<T extends KubernetesObject & { status?: unknown }>(
  client: ApiClient,
  resource: ResourceRef,
  current: T,
  desired: NonNullable<T["status"]>,
): Promise<T> {
  const diff = mergePatchBetween(current.status ?? {}, desired);
  if (diff === undefined) return current;
  const { namespace, name } = current.metadata ?? {};
  return client.patch<T>(resource, namespace, name ?? "", "merge", { status: diff }, "status");
}

/**
 * Like patchStatus, guarded: the patch carries the resourceVersion read, so
 * a write that crossed another writer's fails (409) instead of replacing the
 * conditions list it does not know. On that conflict the object is read
 * again, the other writer's conditions (types `desired` does not set) are
 * kept, and the write is retried once against the fresh copy; a second
 * conflict is thrown (retryable: the pass runs again).
 */
export async function patchStatusGuarded<T extends KubernetesObject & { status?: unknown }>(
  client: ApiClient,
  resource: ResourceRef,
  current: T,
  desired: NonNullable<T["status"]>,
): Promise<T> {
  const write = (base: T, status: unknown): Promise<T> => {
    const diff = mergePatchBetween(base.status ?? {}, status);
    if (diff === undefined) return Promise.resolve(base);
    const { namespace, name, resourceVersion } = base.metadata ?? {};
    const body = { metadata: { resourceVersion }, status: diff };
    return client.patch<T>(resource, namespace, name ?? "", "merge", body, "status");
  };
  try {
    return await write(current, desired);
  } catch (error) {
    if (!isConflict(error)) throw error;
    const { namespace, name } = current.metadata ?? {};
    const fresh = await client.get<T>(resource, namespace, name ?? "");
    return write(fresh, withForeignConditions(desired, fresh.status));
  }
}

interface ConditionLike {
  type: string;
}

/** `desired` plus the conditions of `server` whose types `desired` does not set (another writer's). */
export function withForeignConditions<S>(desired: S, server: unknown): S {
  const theirs = isPlainObject(server) && Array.isArray(server.conditions) ? server.conditions : [];
  const ours = isPlainObject(desired) && Array.isArray(desired.conditions) ? desired.conditions : [];
  const owned = new Set(ours.map((c: ConditionLike) => c.type));
  const foreign = theirs.filter((c: ConditionLike) => !owned.has(c.type));
  if (foreign.length === 0) return desired;
  return { ...desired, conditions: [...ours, ...foreign] };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    const otherKeys = Object.keys(b).filter((k) => b[k] !== undefined);
    return keys.length === otherKeys.length && keys.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
