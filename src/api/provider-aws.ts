import { type Static, Type } from "@sinclair/typebox";
import { MAX_ROOT_DEVICE_GIB } from "./aws-formats.js";
import { Opt, StringList, StringMap } from "./schema-helpers.js";

/** apiVersions accepted for AWS provider specs (Cluster API provider AWS v1alpha1). */
export const AWS_API_VERSIONS = ["awsprovider/v1alpha1", "awsprovider.k8s.io/v1alpha1"] as const;

const FilterSchema = Type.Object({ name: Type.String(), values: StringList() });

/** An AWS resource named by id, or found by filters (CAPA's AWSResourceReference). */
const AWSResourceReferenceSchema = Type.Object({
  id: Opt(Type.String({ minLength: 1 })),
  filters: Opt(Type.Array(FilterSchema)),
});
export type AWSResourceReference = Static<typeof AWSResourceReferenceSchema>;

export const SubnetSpecSchema = Type.Object({
  id: Opt(Type.String({ description: "An existing subnet: referenced, never managed." })),
  cidrBlock: Opt(Type.String()),
  availabilityZone: Opt(Type.String()),
  isPublic: Opt(Type.Boolean()),
  tags: Opt(StringMap()),
});
export type SubnetSpec = Static<typeof SubnetSpecSchema>;

/**
 * clusterform's extension beyond CAPA v1alpha1: an IAM user with an access key
 * for in-cluster components that call AWS (cloud controller manager, CSI
 * drivers) where instance profiles are not used. The key id becomes a status
 * output; the secret key a sensitive output, kept only in Secret `<cluster>-outputs`.
 */
export const CloudCredentialsSchema = Type.Object({
  createAccessKey: Opt(
    Type.Boolean({
      description:
        "Create IAM user <namespace>-<cluster>-cloud (path /clusterform/) and an access key for it; the user gets no permissions.",
    }),
  ),
});
export type CloudCredentials = Static<typeof CloudCredentialsSchema>;

/** How the workload cluster's API server is reached (clusterform's extension, used once Machines are bootstrapped). */
export const AWS_ENDPOINT_TYPES = ["LoadBalancer", "InitMachine"] as const;
export type AwsControlPlaneEndpointType = (typeof AWS_ENDPOINT_TYPES)[number];

export const AWSControlPlaneEndpointSchema = Type.Object({
  type: Opt(
    Type.Union(
      AWS_ENDPOINT_TYPES.map((value) => Type.Literal(value)),
      {
        description:
          "LoadBalancer (default): a network load balancer on TCP 6443 in front of the control-plane machines; its DNS name is the endpoint. InitMachine: the init machine's private address (development: no HA, no public address on that machine).",
      },
    ),
  ),
});
export type AWSControlPlaneEndpoint = Static<typeof AWSControlPlaneEndpointSchema>;

export const AWSClusterProviderSpecSchema = Type.Object({
  apiVersion: Type.String(),
  kind: Type.Literal("AWSClusterProviderSpec"),
  region: Type.String({ minLength: 1 }),
  sshKeyName: Opt(Type.String()),
  networkSpec: Opt(
    Type.Object({
      vpc: Opt(
        Type.Object({
          id: Opt(Type.String({ description: "An existing VPC: referenced, never managed." })),
          cidrBlock: Opt(Type.String()),
          tags: Opt(StringMap()),
        }),
      ),
      subnets: Opt(Type.Array(SubnetSpecSchema)),
    }),
  ),
  additionalTags: Opt(StringMap()),
  cloudCredentials: Opt(CloudCredentialsSchema),
  controlPlaneEndpoint: Opt(AWSControlPlaneEndpointSchema),
});
export type AWSClusterProviderSpec = Static<typeof AWSClusterProviderSpecSchema>;

export const AWSMachineProviderSpecSchema = Type.Object({
  apiVersion: Type.String(),
  kind: Type.Literal("AWSMachineProviderSpec"),
  ami: AWSResourceReferenceSchema,
  instanceType: Type.String({ minLength: 1 }),
  subnet: Opt(AWSResourceReferenceSchema),
  additionalSecurityGroups: Opt(Type.Array(AWSResourceReferenceSchema)),
  additionalTags: Opt(StringMap()),
  iamInstanceProfile: Opt(Type.String()),
  publicIP: Opt(Type.Boolean()),
  keyName: Opt(Type.String()),
  rootDeviceSize: Opt(Type.Integer({ minimum: 8, maximum: MAX_ROOT_DEVICE_GIB, description: "GiB" })),
  availabilityZone: Opt(Type.String()),
});
export type AWSMachineProviderSpec = Static<typeof AWSMachineProviderSpecSchema>;
