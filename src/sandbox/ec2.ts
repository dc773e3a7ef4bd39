import { items, parseXml, textAt, type XmlElement } from "../util/xml.js";
import { sandboxQuery } from "./query.js";

/**
 * A tiny EC2 Query API client for checking what Terraform created in the
 * sandbox (requests through sandboxQuery).
 */

export interface SandboxInstance {
  instanceId: string;
  state: string;
  instanceType: string;
  imageId: string;
  privateIp: string;
  privateDnsName: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  tags: Record<string, string>;
}

/** EC2 filters, e.g. `{ "tag:cluster": "demo", "instance-state-name": ["running", "pending"] }`. */
export type Ec2Filters = Record<string, string | readonly string[]>;

export async function describeInstances(
  endpoint: string,
  filters: Ec2Filters = {},
  region = "us-east-1",
): Promise<SandboxInstance[]> {
  const params = withFilters(
    new URLSearchParams({ Action: "DescribeInstances", Version: "2016-11-15" }),
    filters,
  );
  const xml = await ec2Query(endpoint, params, region);
  const root = parseXml(xml).children[0];
  return items(root, "reservationSet").flatMap((reservation) =>
    items(reservation, "instancesSet").map(toInstance),
  );
}

/** Ids of the VPCs matching the filters, e.g. `{ "tag:clusterform.io/cluster": "ns/name" }`. */
export async function describeVpcIds(
  endpoint: string,
  filters: Ec2Filters = {},
  region = "us-east-1",
): Promise<string[]> {
  const params = withFilters(new URLSearchParams({ Action: "DescribeVpcs", Version: "2016-11-15" }), filters);
  const root = parseXml(await ec2Query(endpoint, params, region)).children[0];
  return items(root, "vpcSet").map((vpc) => textAt(vpc, "vpcId"));
}

function withFilters(params: URLSearchParams, filters: Ec2Filters): URLSearchParams {
  for (const [index, [name, values]] of Object.entries(filters).entries()) {
    params.set(`Filter.${index + 1}.Name`, name);
    const list = typeof values === "string" ? [values] : values;
    for (const [valueIndex, value] of list.entries())
      params.set(`Filter.${index + 1}.Value.${valueIndex + 1}`, value);
  }
  return params;
}

/** Creates a VPC (for bring-your-own-network tests); returns its id. */
export async function createVpc(endpoint: string, cidrBlock: string, region = "us-east-1"): Promise<string> {
  const params = new URLSearchParams({ Action: "CreateVpc", Version: "2016-11-15", CidrBlock: cidrBlock });
  return textAt(parseXml(await ec2Query(endpoint, params, region)).children[0], "vpc", "vpcId");
}

/** Creates a subnet in a VPC; returns its id. */
export async function createSubnet(
  endpoint: string,
  subnet: { vpcId: string; cidrBlock: string; availabilityZone: string },
  region = "us-east-1",
): Promise<string> {
  const params = new URLSearchParams({
    Action: "CreateSubnet",
    Version: "2016-11-15",
    VpcId: subnet.vpcId,
    CidrBlock: subnet.cidrBlock,
    AvailabilityZone: subnet.availabilityZone,
  });
  return textAt(parseXml(await ec2Query(endpoint, params, region)).children[0], "subnet", "subnetId");
}

/** Launches one instance directly (as another pipeline would); returns it as described. */
export async function runInstance(
  endpoint: string,
  launch: {
    imageId: string;
    instanceType: string;
    subnetId: string;
    tags?: Record<string, string>;
    clientToken?: string;
  },
  region = "us-east-1",
): Promise<SandboxInstance> {
  const params = new URLSearchParams({
    Action: "RunInstances",
    Version: "2016-11-15",
    ImageId: launch.imageId,
    InstanceType: launch.instanceType,
    SubnetId: launch.subnetId,
    MinCount: "1",
    MaxCount: "1",
  });
  if (launch.clientToken) params.set("ClientToken", launch.clientToken);
  for (const [index, [key, value]] of Object.entries(launch.tags ?? {}).entries()) {
    if (index === 0) params.set("TagSpecification.1.ResourceType", "instance");
    params.set(`TagSpecification.1.Tag.${index + 1}.Key`, key);
    params.set(`TagSpecification.1.Tag.${index + 1}.Value`, value);
  }
  const root = parseXml(await ec2Query(endpoint, params, region)).children[0];
  const [instance] = items(root, "instancesSet").map(toInstance);
  if (!instance) throw new Error(`EC2 RunInstances at ${endpoint} returned no instance`);
  return instance;
}

/** Terminates instances behind Terraform's back (as an operator with the console would). */
export async function terminateInstances(
  endpoint: string,
  ids: string[],
  region = "us-east-1",
): Promise<void> {
  const params = new URLSearchParams({ Action: "TerminateInstances", Version: "2016-11-15" });
  for (const [index, id] of ids.entries()) params.set(`InstanceId.${index + 1}`, id);
  await ec2Query(endpoint, params, region);
}

/** Sets tags on one resource behind Terraform's back. */
export async function createTags(
  endpoint: string,
  resourceId: string,
  tags: Record<string, string>,
  region = "us-east-1",
): Promise<void> {
  const params = new URLSearchParams({
    Action: "CreateTags",
    Version: "2016-11-15",
    "ResourceId.1": resourceId,
  });
  Object.entries(tags).forEach(([key, value], index) => {
    params.set(`Tag.${index + 1}.Key`, key);
    params.set(`Tag.${index + 1}.Value`, value);
  });
  await ec2Query(endpoint, params, region);
}

/**
 * An instance's user data as EC2 returns it (DescribeInstanceAttribute
 * userData, base64-decoded): the exact bytes it was launched with, gzip
 * included. Empty when the instance has none.
 */
export async function describeInstanceUserData(
  endpoint: string,
  instanceId: string,
  region = "us-east-1",
): Promise<Buffer> {
  const params = new URLSearchParams({
    Action: "DescribeInstanceAttribute",
    Version: "2016-11-15",
    InstanceId: instanceId,
    Attribute: "userData",
  });
  const root = parseXml(await ec2Query(endpoint, params, region)).children[0];
  return Buffer.from(textAt(root, "userData", "value"), "base64");
}

function ec2Query(endpoint: string, params: URLSearchParams, region: string): Promise<string> {
  return sandboxQuery(endpoint, "ec2", params, region);
}

function toInstance(item: XmlElement): SandboxInstance {
  const tags: Record<string, string> = {};
  for (const tag of items(item, "tagSet")) tags[textAt(tag, "key")] = textAt(tag, "value");
  return {
    instanceId: textAt(item, "instanceId"),
    state: textAt(item, "instanceState", "name"),
    instanceType: textAt(item, "instanceType"),
    imageId: textAt(item, "imageId"),
    privateIp: textAt(item, "privateIpAddress"),
    privateDnsName: textAt(item, "privateDnsName"),
    subnetId: textAt(item, "subnetId"),
    vpcId: textAt(item, "vpcId"),
    availabilityZone: textAt(item, "placement", "availabilityZone"),
    tags,
  };
}

/** Instances that exist for practical purposes: not terminated and not on their way there. */
export function liveInstances(endpoint: string, filters: Ec2Filters = {}, region = "us-east-1") {
  return describeInstances(
    endpoint,
    { ...filters, "instance-state-name": ["pending", "running", "stopping", "stopped"] },
    region,
  );
}
