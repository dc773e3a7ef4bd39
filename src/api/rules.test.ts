// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform syntax as a plain value is the point.
import { describe, expect, it } from "vitest";
import { AWS_MACHINE_SPEC, awsCluster, machine, machineSet } from "../model/test-objects.js";
import { formatFieldError } from "./field-error.js";
import type { MachineDeployment } from "./machine-set.js";
import { validateObject } from "./validate.js";

// One case per rule of the validation layer: the object, the field and the
// gist of the message. Each case changes one thing in a valid object.

const errorsOf = (object: unknown) => validateObject(object).map(formatFieldError);

function clusterWith(spec: Record<string, unknown>, clusterNetwork?: Record<string, unknown>) {
  const cluster = awsCluster("c");
  Object.assign(cluster.spec.providerSpec?.value as object, spec);
  if (clusterNetwork) cluster.spec.clusterNetwork = clusterNetwork as never;
  return cluster;
}
const machineWith = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  const object = machine("w", "c", { value: { ...AWS_MACHINE_SPEC, ...spec } });
  Object.assign(object.spec, extra);
  return object;
};
function deploymentWith(spec: Record<string, unknown>): MachineDeployment {
  const object = { ...machineSet("d", "c", 1), kind: "MachineDeployment" } as unknown as MachineDeployment;
  Object.assign(object.spec, spec);
  return object;
}
function withMetadata<T extends { metadata: object }>(object: T, metadata: Record<string, unknown>): T {
  object.metadata = { ...object.metadata, ...metadata };
  return object;
}

const cases: [string, unknown, string][] = [
  // Labels, annotations, selectors.
  [
    "a label key with a space",
    withMetadata(awsCluster("c"), { labels: { "bad key": "v" } }),
    "Cluster default/c: metadata.labels[bad key]: key must be a qualified name",
  ],
  [
    "a label key with an invalid prefix",
    withMetadata(awsCluster("c"), { labels: { "Example.com/x": "v" } }),
    "metadata.labels[Example.com/x]: key has a prefix that is not a DNS subdomain",
  ],
  [
    "a label value over 63 characters",
    withMetadata(awsCluster("c"), { labels: { a: "x".repeat(64) } }),
    "metadata.labels.a: value must be at most 63 characters",
  ],
  [
    "a label value ending in '-'",
    withMetadata(awsCluster("c"), { labels: { a: "v-" } }),
    "metadata.labels.a: value must be empty or letters",
  ],
  [
    "an annotation key with two slashes",
    withMetadata(awsCluster("c"), { annotations: { "a/b/c": "v" } }),
    "metadata.annotations[a/b/c]: key must be a qualified name",
  ],
  [
    "annotations over 256 KiB",
    withMetadata(awsCluster("c"), { annotations: { a: "x".repeat(262_144) } }),
    "metadata.annotations: must be at most 262144 bytes in all",
  ],
  [
    "a selector key that is not a qualified name",
    (() => {
      const s = machineSet("p", "c", 1);
      s.spec.selector.matchExpressions = [{ key: "-x", operator: "Exists" }];
      return s;
    })(),
    "spec.selector.matchExpressions[0].key: must be a qualified name",
  ],
  [
    "a selector matchLabels value with a slash",
    (() => {
      const s = machineSet("p", "c", 1);
      s.spec.selector.matchLabels = { pool: "a/b" };
      if (s.spec.template?.metadata) s.spec.template.metadata.labels = { pool: "a/b" };
      return s;
    })(),
    "spec.selector.matchLabels.pool: value must be empty or letters",
  ],
  [
    "a template label key with a space",
    (() => {
      const s = machineSet("p", "c", 1);
      if (s.spec.template?.metadata) s.spec.template.metadata.labels = { pool: "p", "a b": "c" };
      return s;
    })(),
    "spec.template.metadata.labels[a b]: key must be a qualified name",
  ],
  [
    "a Cluster name longer than a label value",
    awsCluster("c".repeat(64)),
    `metadata.name: must be at most 63 characters for a Cluster`,
  ],
  // Rollout.
  [
    "a negative maxSurge",
    deploymentWith({ strategy: { rollingUpdate: { maxSurge: -1 } } }),
    "spec.strategy.rollingUpdate.maxSurge: must be a non-negative integer or a percentage",
  ],
  [
    "maxUnavailable over 100 %",
    deploymentWith({ strategy: { rollingUpdate: { maxUnavailable: "101%" } } }),
    'spec.strategy.rollingUpdate.maxUnavailable: "101%" must not be over 100%',
  ],
  [
    "maxSurge that is not an int-or-percent",
    deploymentWith({ strategy: { rollingUpdate: { maxSurge: "one" } } }),
    'spec.strategy.rollingUpdate.maxSurge: "one" must be a non-negative integer',
  ],
  [
    "maxSurge and maxUnavailable both zero",
    deploymentWith({ strategy: { rollingUpdate: { maxSurge: "0%", maxUnavailable: 0 } } }),
    "spec.strategy.rollingUpdate.maxUnavailable: must not be 0 when maxSurge is 0",
  ],
  [
    "progressDeadlineSeconds below minReadySeconds",
    deploymentWith({ minReadySeconds: 60, progressDeadlineSeconds: 30 }),
    "spec.progressDeadlineSeconds: must be greater than minReadySeconds (60)",
  ],
  ["replicas over the maximum", deploymentWith({ replicas: 1001 }), "spec.replicas: must be at most 1000"],
  // Cluster network.
  [
    "pods and services CIDRs that overlap",
    clusterWith({}, { services: { cidrBlocks: ["10.96.0.0/12"] }, pods: { cidrBlocks: ["10.100.0.0/16"] } }),
    "spec.clusterNetwork.pods.cidrBlocks[0]: 10.100.0.0/16 overlaps spec.clusterNetwork.services.cidrBlocks[0]",
  ],
  [
    "a serviceDomain that is not a DNS name",
    clusterWith({}, { serviceDomain: "Cluster Local" }),
    "spec.clusterNetwork.serviceDomain: not a DNS name",
  ],
  // AWS cluster.
  [
    "a region that is not a region name",
    clusterWith({ region: "US East" }),
    'spec.providerSpec.value.region: "US East" is not an AWS region name',
  ],
  [
    "a VPC with both id and cidrBlock",
    clusterWith({ networkSpec: { vpc: { id: "vpc-1", cidrBlock: "10.0.0.0/16" } } }),
    "spec.providerSpec.value.networkSpec.vpc: set id (an existing VPC) or cidrBlock (a new one), not both",
  ],
  [
    "a subnet with both id and cidrBlock",
    clusterWith({ networkSpec: { subnets: [{ id: "subnet-1", cidrBlock: "10.0.1.0/24" }] } }),
    "subnets[0]: set id (an existing subnet) or cidrBlock (a new one), not both",
  ],
  [
    "duplicate subnet CIDRs",
    clusterWith({ networkSpec: { subnets: [{ cidrBlock: "10.0.1.0/24" }, { cidrBlock: "10.0.1.0/24" }] } }),
    "subnets[1].cidrBlock: 10.0.1.0/24 overlaps subnets[0] (10.0.1.0/24)",
  ],
  [
    "overlapping subnets",
    clusterWith({ networkSpec: { subnets: [{ cidrBlock: "10.0.0.0/20" }, { cidrBlock: "10.0.1.0/24" }] } }),
    "subnets[1].cidrBlock: 10.0.1.0/24 overlaps subnets[0]",
  ],
  [
    "a subnet smaller than /28",
    clusterWith({ networkSpec: { subnets: [{ cidrBlock: "10.0.1.0/29" }] } }),
    "subnets[0].cidrBlock: 10.0.1.0/29 is not a valid subnet size: AWS subnets are /16 to /28",
  ],
  [
    "an IPv6 subnet in an IPv4 VPC",
    clusterWith({ networkSpec: { subnets: [{ cidrBlock: "fd00::/64" }] } }),
    "subnets[0].cidrBlock: fd00::/64 is IPv6",
  ],
  [
    "a subnet outside the default VPC",
    clusterWith({ networkSpec: { subnets: [{ cidrBlock: "192.168.0.0/24" }] } }),
    "subnets[0].cidrBlock: 192.168.0.0/24 lies outside the VPC's 10.0.0.0/16",
  ],
  [
    "a new subnet in an existing VPC",
    clusterWith({ networkSpec: { vpc: { id: "vpc-1" }, subnets: [{ cidrBlock: "10.0.1.0/24" }] } }),
    "subnets[0].id: required when networkSpec.vpc.id names an existing VPC",
  ],
  [
    "an existing subnet in a new VPC",
    clusterWith({ networkSpec: { subnets: [{ id: "subnet-1" }] } }),
    "subnets[0].id: an existing subnet needs an existing VPC",
  ],
  [
    "a subnet zone outside the region",
    clusterWith({ networkSpec: { subnets: [{ cidrBlock: "10.0.1.0/24", availabilityZone: "eu-west-1a" }] } }),
    'subnets[0].availabilityZone: "eu-west-1a" is not an availability zone of region us-east-1',
  ],
  [
    "an empty tag key",
    clusterWith({ additionalTags: { "": "v" } }),
    "spec.providerSpec.value.additionalTags[]: tag key must not be empty",
  ],
  [
    "a tag key over 128 characters",
    clusterWith({ additionalTags: { ["k".repeat(129)]: "v" } }),
    "tag key must be at most 128 characters",
  ],
  [
    "a tag value over 256 characters",
    clusterWith({ additionalTags: { k: "v".repeat(257) } }),
    "additionalTags.k: tag value must be at most 256 characters",
  ],
  [
    "a reserved aws: tag key",
    clusterWith({ additionalTags: { "AWS:owner": "me" } }),
    'additionalTags[AWS:owner]: tag key must not start with "aws:"',
  ],
  [
    "a control character in a tag value",
    clusterWith({ additionalTags: { k: "a\u0007b" } }),
    "additionalTags.k: tag value must not contain control characters",
  ],
  // AWS machine.
  [
    "an instance type with no size",
    machineWith({ instanceType: "t3" }),
    'spec.providerSpec.value.instanceType: "t3" is not an EC2 instance type',
  ],
  [
    "an AMI id of the wrong shape",
    machineWith({ ami: { id: "ami-XYZ" } }),
    'spec.providerSpec.value.ami.id: "ami-XYZ" is not an AMI id',
  ],
  [
    "an AMI with both id and filters",
    machineWith({ ami: { id: "ami-04681a1dbd79675a5", filters: [{ name: "n", values: ["v"] }] } }),
    "spec.providerSpec.value.ami: set id or filters, not both",
  ],
  [
    "a security group with neither id nor filters",
    machineWith({ additionalSecurityGroups: [{}] }),
    "additionalSecurityGroups[0]: set id (a security group id) or filters",
  ],
  [
    "a rootDeviceSize beyond 16 TiB",
    machineWith({ rootDeviceSize: 16385 }),
    "spec.providerSpec.value.rootDeviceSize: must be at most 16384",
  ],
  [
    "a zone that is no zone",
    machineWith({ availabilityZone: "zone-a" }),
    'spec.providerSpec.value.availabilityZone: "zone-a" is not an availability zone name',
  ],
  [
    "a machine tag with the aws: prefix",
    machineWith({ additionalTags: { "aws:x": "y" } }),
    'additionalTags[aws:x]: tag key must not start with "aws:"',
  ],
  // Taints.
  [
    "a taint effect Kubernetes does not know",
    machineWith({}, { taints: [{ key: "k", effect: "NoWay" }] }),
    'spec.taints[0].effect: must be one of "NoSchedule", "PreferNoSchedule", "NoExecute"',
  ],
  [
    "a taint key that is not a qualified name",
    machineWith({}, { taints: [{ key: "a b", effect: "NoSchedule" }] }),
    "spec.taints[0].key: must be a qualified name",
  ],
];

describe("validation rules", () => {
  it.each(cases)("rejects %s", (_, object, expected) => {
    const errors = errorsOf(object);
    expect(
      errors.some((error) => error.includes(expected)),
      `${errors.join("\n")}\nwanted: ${expected}`,
    ).toBe(true);
  });

  it("accepts Kubernetes-style labels, an int-or-percent rollout and local zones", () => {
    expect(
      errorsOf(withMetadata(awsCluster("c"), { labels: { "example.com/a_b.c-d": "Value_1.x", empty: "" } })),
    ).toEqual([]);
    expect(
      errorsOf(
        deploymentWith({
          strategy: { rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
          minReadySeconds: 5,
          progressDeadlineSeconds: 600,
        }),
      ),
    ).toEqual([]);
    expect(
      errorsOf(
        clusterWith({
          region: "us-gov-west-1",
          networkSpec: { subnets: [{ cidrBlock: "10.0.0.0/28", availabilityZone: "us-gov-west-1-lax-1a" }] },
        }),
      ),
    ).toEqual([]);
    expect(
      errorsOf(
        machineWith({ instanceType: "u-6tb1.metal", ami: { id: "ami-12c6146b" }, rootDeviceSize: 16384 }),
      ),
    ).toEqual([]);
  });

  it("keeps hostile strings literal: they are tag values, not errors", () => {
    const hostile = "${aws_instance.x.id} %{ if true }x%{ endif }";
    expect(errorsOf(clusterWith({ additionalTags: { [hostile]: hostile } }))).toEqual([]);
  });
});
