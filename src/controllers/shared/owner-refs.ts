import type { KubernetesObject } from "@kubernetes/client-node";
import type { OwnerReference } from "../../api/meta.js";
import type { ApiClient } from "../runtime/api-client.js";
import { formatKey } from "../runtime/keys.js";
import type { ResourceRef } from "../runtime/resource.js";
import { setMetadataList } from "./guarded-patch.js";

/** The controller ownerReference that makes `owner` manage a dependent (with blockOwnerDeletion). */
export function controllerRefTo(owner: KubernetesObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? "",
    kind: owner.kind ?? "",
    name: owner.metadata?.name ?? "",
    uid: owner.metadata?.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function controllerRefOf(object: KubernetesObject): OwnerReference | undefined {
  return (object.metadata?.ownerReferences as OwnerReference[] | undefined)?.find(
    (ref) => ref.controller === true,
  );
}

/** True when `owner` (matched by uid) is the object's controller. */
export function isControlledBy(object: KubernetesObject, owner: KubernetesObject): boolean {
  const ref = controllerRefOf(object);
  return ref !== undefined && ref.uid === owner.metadata?.uid;
}

/**
 * A KeyMapper for dependents: the key of the object's controller of the given
 * kind (Machine -> its MachineSet), or nothing.
 */
export function mapToControllerOfKind(kind: string) {
  return (object: KubernetesObject): string[] => {
    const ref = controllerRefOf(object);
    if (!ref || ref.kind !== kind) return [];
    return [formatKey({ namespace: object.metadata?.namespace, name: ref.name })];
  };
}

/** Makes `owner` the object's controller (adoption); fails with a retryable 409 if the object changed. */
export function adopt<T extends KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  object: T,
  owner: KubernetesObject,
): Promise<T> {
  const refs = (object.metadata?.ownerReferences ?? []) as OwnerReference[];
  return setMetadataList(client, resource, object, "ownerReferences", [...refs, controllerRefTo(owner)]);
}

/** Drops `owner`'s reference from the object (release); guarded the same way. */
export function release<T extends KubernetesObject>(
  client: ApiClient,
  resource: ResourceRef,
  object: T,
  owner: KubernetesObject,
): Promise<T> {
  const refs = (object.metadata?.ownerReferences ?? []) as OwnerReference[];
  const kept = refs.filter((ref) => ref.uid !== owner.metadata?.uid);
  return setMetadataList(client, resource, object, "ownerReferences", kept);
}
