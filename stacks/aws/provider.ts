import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import type { Construct } from "constructs";
import type { SynthContext } from "../context.js";

/** Every AWS API the stack calls; all are pointed at `awsEndpoint` when one is given. */
export const AWS_SERVICES_USED = ["ec2", "iam", "sts"] as const;
/** Added only when the stack has the API load balancer, so other stacks stay as they were. */
const LOAD_BALANCER_SERVICE = "elbv2";

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
  usesLoadBalancer = false,
) {
  const provider = new AwsProvider(scope, "aws", {
    region: context.literal(region),
    ...(awsEndpoint === undefined ? {} : endpointOverrides(context.literal(awsEndpoint), usesLoadBalancer)),
  });
  return provider;
}

function endpointOverrides(endpoint: string, usesLoadBalancer: boolean) {
  const services: string[] = [...AWS_SERVICES_USED, ...(usesLoadBalancer ? [LOAD_BALANCER_SERVICE] : [])];
  const endpoints = Object.fromEntries(services.map((service) => [service, endpoint]));
  return {
    endpoints: [endpoints],
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: "true",
    skipRegionValidation: true,
  };
}
