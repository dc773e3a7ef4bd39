import type { KubernetesObject } from "@kubernetes/client-node";
import { hasFinalizer } from "../../util/objects.js";
import type { ApiClient } from "../runtime/api-client.js";
import type { ResourceRef } from "../runtime/resource.js";
import { setMetadataList } from "./guarded-patch.js";

/**
 * Adds the finalizer with a JSON patch that first tests the resourceVersion
 * it read, so a concurrent writer's finalizer list is never overwritten (the
 * loser gets a retryable 409). No-op when already present.
 */
export async function addFinalizer<T extends KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  object: T,
  finalizer: string,
): Promise<T> {
  if (hasFinalizer(object, finalizer)) return object;
  const list = [...(object.metadata?.finalizers ?? []), finalizer];
  return setMetadataList(client, resource, object, "finalizers", list);
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
  return setMetadataList(client, resource, object, "finalizers", list);
}
