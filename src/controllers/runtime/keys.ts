/** Queue keys are "namespace/name" (or "name" for cluster-scoped objects), like client-go's. */
export interface ObjectKey {
  namespace?: string;
  name: string;
}

interface HasMetadata {
  metadata?: { name?: string; namespace?: string };
}

export function keyOf(object: HasMetadata): string {
  return formatKey({ namespace: object.metadata?.namespace, name: object.metadata?.name ?? "" });
}

export function formatKey(key: ObjectKey): string {
  return key.namespace ? `${key.namespace}/${key.name}` : key.name;
}

export function parseKey(key: string): ObjectKey {
  const slash = key.indexOf("/");
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
