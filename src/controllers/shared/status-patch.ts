import type { KubernetesObject } from "@kubernetes/client-node";
import type { ApiClient } from "../runtime/api-client.js";
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
