import type { KubernetesObject } from "@kubernetes/client-node";
import { type ApiClient, ApiError } from "../runtime/api-client.js";
import type { ResourceRef } from "../runtime/resource.js";

/**
 * Applies JSON patch operations only if the object still has the
 * resourceVersion it was read with (a leading `test` op). A changed object
 * fails with a retryable 409, so a concurrent writer's list (finalizers,
 * ownerReferences) is never overwritten by a stale copy.
 */
export async function patchIfUnchanged<T extends KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  object: T,
  operations: readonly unknown[],
): Promise<T> {
  const { namespace, name, resourceVersion } = object.metadata ?? {};
  const patch = [{ op: "test", path: "/metadata/resourceVersion", value: resourceVersion }, ...operations];
  try {
    return await client.patch<T>(resource, namespace, name ?? "", "json", patch);
  } catch (error) {
    // A failed `test` is 422 on the wire; here it means "changed since read".
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

/** Replaces (or adds) a list under /metadata, guarded by the resourceVersion. */
export function setMetadataList<T extends KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  object: T,
  field: "finalizers" | "ownerReferences",
  value: readonly unknown[],
): Promise<T> {
  const exists = (object.metadata as Record<string, unknown> | undefined)?.[field] !== undefined;
  return patchIfUnchanged(client, resource, object, [
    { op: exists ? "replace" : "add", path: `/metadata/${field}`, value },
  ]);
}
