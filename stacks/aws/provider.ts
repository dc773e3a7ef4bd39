import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import type { Construct } from "constructs";
import type { SynthContext } from "../context.js";

/** Every AWS API the stack calls; all are pointed at `awsEndpoint` when one is given. */
export const AWS_SERVICES_USED = ["ec2", "iam", "sts"] as const;

/**
 * The AWS provider. Credentials are never configured here: the provider reads
 * them from the environment (AWS_ACCESS_KEY_ID, AWS_PROFILE, ...). An endpoint
 * (the local AWS emulator) adds endpoint overrides and the skip flags a fake
 * API needs; without one the block holds only the region.
 */
export function addAwsProvider(
  scope: Construct,
  context: SynthContext,
  region: string,
  awsEndpoint?: string,
) {
  const provider = new AwsProvider(scope, "aws", {
    region: context.literal(region),
    ...(awsEndpoint === undefined ? {} : endpointOverrides(context.literal(awsEndpoint))),
  });
  return provider;
}

function endpointOverrides(endpoint: string) {
  const endpoints = Object.fromEntries(AWS_SERVICES_USED.map((service) => [service, endpoint]));
  return {
    endpoints: [endpoints],
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: "true",
    skipRegionValidation: true,
  };
}
