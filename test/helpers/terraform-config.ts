/**
 * The terraform and provider blocks of a hand-written JSON configuration for
 * the AWS provider from the mirror against the emulator (runner-level e2e
 * tests that need no synthesized stack).
 */
export function sandboxAwsConfig(endpoint: string) {
  return {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } },
    provider: {
      aws: [
        {
          region: "us-east-1",
          skip_credentials_validation: true,
          skip_metadata_api_check: "true",
          skip_requesting_account_id: true,
          skip_region_validation: true,
          endpoints: [{ ec2: endpoint, sts: endpoint }],
        },
      ],
    },
  };
}

/** A Terraform reference expression, as CDKTF writes it into cdk.tf.json. */
export function ref(expression: string): string {
  return `\${${expression}}`;
}
