import type { BackendSettings } from "../src/model/types.js";
import { escapeTerraformTemplate } from "./literals.js";

/** Relative: the runner gives each cluster its own working directory. */
export const LOCAL_STATE_PATH = "terraform.tfstate";

/**
 * The `terraform.backend` block of a stack. No credentials: the S3 backend
 * reads AWS_* (or a profile) from Terraform's environment, the kubernetes
 * backend KUBE_CONFIG_PATH (or in-cluster config). Settings are validated by
 * the model; they are escaped anyway, so none can become an expression.
 */
export function backendBlock(backend: BackendSettings | undefined): Record<string, unknown> {
  if (backend === undefined || backend.type === "local") return { local: { path: LOCAL_STATE_PATH } };
  if (backend.type === "kubernetes") {
    return {
      kubernetes: {
        namespace: escapeTerraformTemplate(backend.namespace),
        secret_suffix: escapeTerraformTemplate(backend.secretSuffix),
      },
    };
  }
  const s3: Record<string, unknown> = {
    bucket: escapeTerraformTemplate(backend.bucket),
    key: escapeTerraformTemplate(backend.key),
    region: escapeTerraformTemplate(backend.region),
    // S3-native locking (Terraform >= 1.10): no DynamoDB table to manage.
    use_lockfile: true,
  };
  if (backend.endpoint !== undefined) {
    // An S3-compatible store or emulator: path-style addressing, and no STS,
    // IAM or account lookups that such stores do not answer.
    Object.assign(s3, {
      endpoints: { s3: escapeTerraformTemplate(backend.endpoint) },
      use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    });
  }
  return { s3 };
}
