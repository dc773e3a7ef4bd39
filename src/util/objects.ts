/** Predicates on Kubernetes object metadata, shared by every controller. */

interface WithMetadata {
  metadata?: { finalizers?: string[]; deletionTimestamp?: string | Date } | undefined;
}

export function hasFinalizer(object: WithMetadata, finalizer: string): boolean {
  return object.metadata?.finalizers?.includes(finalizer) ?? false;
}

/** The API server set deletionTimestamp: only finalizers keep the object. */
export function isDeleting(object: WithMetadata): boolean {
  return Boolean(object.metadata?.deletionTimestamp);
}
