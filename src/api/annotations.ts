/**
 * Annotations clusterform reads from the objects it converges (hybrid use
 * with existing Terraform pipelines: docs/hybrid.md).
 */

/** On a Cluster: where its Terraform state lives: `local` (default), `s3` or `kubernetes`. */
export const BACKEND_ANNOTATION = "clusterform.io/backend";
/** On a Cluster: a ConfigMap (same namespace) holding the backend settings (keys bucket, keyPrefix, region, endpoint, credentialsSecret). */
export const BACKEND_CONFIG_ANNOTATION = "clusterform.io/backend-config";
/** On a Cluster: single backend settings; each wins over the same key of the ConfigMap. */
export const BACKEND_SETTING_ANNOTATIONS = {
  bucket: "clusterform.io/backend-bucket",
  keyPrefix: "clusterform.io/backend-key-prefix",
  region: "clusterform.io/backend-region",
  endpoint: "clusterform.io/backend-endpoint",
  /** A Secret (same namespace) with the state bucket's own AWS credentials; read by the controller. */
  credentialsSecret: "clusterform.io/backend-credentials-secret",
} as const;

/** On a Machine: import this existing instance (AWS instance id) instead of creating one. */
export const ADOPT_INSTANCE_ANNOTATION = "clusterform.io/adopt-instance-id";
/** On a Machine: `orphan` makes Terraform forget the instance when the Machine goes, instead of destroying it. */
export const ON_DELETE_ANNOTATION = "clusterform.io/on-delete";

/** The field path of an annotation, as errors name it. */
export function annotationPath(key: string): string {
  return `metadata.annotations["${key}"]`;
}
