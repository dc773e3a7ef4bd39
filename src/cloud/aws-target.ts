/**
 * Where and as whom the cheap drift check calls the AWS API: exactly what
 * Terraform's AWS provider uses for the cluster, so the check reads the same
 * account and region Terraform manages. The provider takes the region from
 * the stack, the endpoint from the stack's override (clusterform's
 * `awsEndpoint`, the emulator in tests) or else AWS_ENDPOINT_URL_EC2 /
 * AWS_ENDPOINT_URL, and static credentials from the environment Terraform
 * runs with (ConvergeOptions.env). Credentials the provider would resolve
 * itself (a profile, SSO, web identity, instance metadata) are not
 * reproduced here: such clusters get no cheap check and keep full plans.
 */

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AwsApiTarget {
  /** e.g. https://ec2.us-east-1.amazonaws.com or the emulator's http://127.0.0.1:PORT */
  endpoint: string;
  region: string;
  credentials: AwsCredentials;
}

export type AwsTargetResult = { ok: true; target: AwsApiTarget } | { ok: false; reason: string };

export function awsApiTarget(
  env: NodeJS.ProcessEnv,
  region: string,
  awsEndpoint: string | undefined,
): AwsTargetResult {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey)
    return {
      ok: false,
      reason:
        "Terraform's AWS credentials do not come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (a profile, SSO, web identity or instance metadata): only full plans check drift",
    };
  const endpoint =
    awsEndpoint || env.AWS_ENDPOINT_URL_EC2 || env.AWS_ENDPOINT_URL || defaultEc2Endpoint(region);
  const sessionToken = env.AWS_SESSION_TOKEN;
  return {
    ok: true,
    target: {
      endpoint,
      region,
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    },
  };
}

function defaultEc2Endpoint(region: string): string {
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://ec2.${region}.${suffix}`;
}
