import type { KubernetesObject } from "@kubernetes/client-node";
import { type ApiClient, ApiError } from "../runtime/api-client.js";
import type { ResourceRef } from "../runtime/resource.js";

export function hasFinalizer(object: KubernetesObject, finalizer: string): boolean {
  return object.metadata?.finalizers?.includes(finalizer) ?? false;
}

/**
 * Adds the finalizer with a JSON patch that first tests the resourceVersion
 * it read, so a concurrent writer's finalizer list is never overwritten (the
 * loser gets 409 and retries). No-op when already present.
 */
export async function addFinalizer<T extends KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  object: T,
  finalizer: string,
): Promise<T> {
  if (hasFinalizer(object, finalizer)) return object;
  const list = [...(object.metadata?.finalizers ?? []), finalizer];
  return writeFinalizers(client, resource, object, list);
}

/** Removes the finalizer the same way; no-op when absent. */
export async function removeFinalizer<T extends KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  object: T,
  finalizer: string,
): Promise<T> {
  if (!hasFinalizer(object, finalizer)) return object;
  const list = (object.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
  return writeFinalizers(client, resource, object, list);
}

async function writeFinalizers<T extends KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  object: T,
  finalizers: string[],
): Promise<T> {
  const { namespace, name, resourceVersion } = object.metadata ?? {};
  const patch = [
    { op: "test", path: "/metadata/resourceVersion", value: resourceVersion },
    object.metadata?.finalizers
      ? { op: "replace", path: "/metadata/finalizers", value: finalizers }
      : { op: "add", path: "/metadata/finalizers", value: finalizers },
  ];
  try {
    return await client.patch<T>(resource, namespace, name ?? "", "json", patch);
  } catch (error) {
    // A failed `test` is 422 on the wire; here it means "changed since read": a retryable conflict.
    if (error instanceof ApiError && error.statusCode === 422) {
      throw new ApiError(
        409,
        "Conflict",
        `${resource.kind} ${namespace}/${name} changed since it was read; retrying`,
      );
    }
    throw error;
  }
}
