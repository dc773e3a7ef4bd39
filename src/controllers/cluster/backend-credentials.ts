import { BACKEND_SETTING_ANNOTATIONS } from "../../api/annotations.js";
import type { ConvergeOptions } from "../../converge/options.js";
import { ClusterformError } from "../../errors.js";
import { backendCredentialsSecret } from "../../model/backend.js";
import type { ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";

/** Secret keys (the usual AWS environment names) -> the s3 backend's settings. */
const S3_CREDENTIAL_KEYS = {
  AWS_ACCESS_KEY_ID: "access_key",
  AWS_SECRET_ACCESS_KEY: "secret_key",
  AWS_SESSION_TOKEN: "token",
} as const;
const REQUIRED = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] as const;

/** The Secret is missing or incomplete: retried with backoff (no watch on Secrets), shown in status. */
export class BackendCredentialsError extends ClusterformError {
  readonly reason = "BackendCredentialsMissing";
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = "BackendCredentialsError";
  }
}

/**
 * The converge options for one Cluster: the controller's, plus the s3
 * bucket's credentials when the Cluster names a Secret for them. They reach
 * Terraform only through `init -backend-config` (never the configuration).
 */
export async function convergeForCluster(
  store: ClusterStore,
  scope: ClusterScope,
  converge: ConvergeOptions,
): Promise<ConvergeOptions> {
  const name = backendCredentialsSecret(scope.cluster, scope.configMaps);
  if (name === undefined) return converge;
  const { namespace } = scope.key;
  const where = `Cluster ${namespace}/${scope.key.name}: backend credentials Secret ${namespace}/${name} (${BACKEND_SETTING_ANNOTATIONS.credentialsSecret})`;
  const data = await store.getSecretData(namespace, name);
  if (!data) throw new BackendCredentialsError(`${where} not found: create it or remove the setting`);
  const missing = REQUIRED.filter((key) => !data[key]);
  if (missing.length > 0)
    throw new BackendCredentialsError(`${where} lacks ${missing.join(" and ")}: add the key(s)`);
  const backendCredentials: Record<string, string> = {};
  for (const [key, setting] of Object.entries(S3_CREDENTIAL_KEYS)) {
    const value = data[key];
    if (value) backendCredentials[setting] = value;
  }
  return { ...converge, backendCredentials };
}
