import { items, parseXml, textAt, type XmlElement } from "../util/xml.js";
import type { AwsApiTarget } from "./aws-target.js";
import { ec2Query, filterParams } from "./ec2-query.js";

/** An instance as DescribeInstances shows it: what the cheap drift check compares. */
export interface DescribedInstance {
  instanceId: string;
  /** pending, running, stopping, stopped, shutting-down, terminated */
  state: string;
  instanceType: string;
  tags: Record<string, string>;
}

/** One permission of a security group, flattened: one entry per source (CIDR, group or prefix list). */
export interface DescribedSecurityGroup {
  groupId: string;
  /** "ingress tcp 22-22 from 0.0.0.0/0", sorted: compared as a set. */
  rules: string[];
}

/** Every instance carrying `tag:<key>=<value>` (terminated ones included while EC2 still lists them). */
export async function describeInstancesTagged(
  target: AwsApiTarget,
  tag: { key: string; value: string },
): Promise<DescribedInstance[]> {
  const found: DescribedInstance[] = [];
  let nextToken: string | undefined;
  do {
    const params = {
      Action: "DescribeInstances",
      ...filterParams({ [`tag:${tag.key}`]: [tag.value] }),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
    const root = parseXml(await ec2Query(target, params)).children[0];
    for (const reservation of items(root, "reservationSet"))
      for (const instance of items(reservation, "instancesSet")) found.push(toInstance(instance));
    nextToken = textAt(root, "nextToken") || undefined;
  } while (nextToken);
  return found;
}

/** The groups with these ids that still exist, with their rules. */
export async function describeSecurityGroups(
  target: AwsApiTarget,
  groupIds: readonly string[],
): Promise<DescribedSecurityGroup[]> {
  if (groupIds.length === 0) return [];
  // A filter, not GroupId.N: a deleted id is then simply absent instead of failing the whole call.
  const params = { Action: "DescribeSecurityGroups", ...filterParams({ "group-id": groupIds }) };
  const root = parseXml(await ec2Query(target, params)).children[0];
  return items(root, "securityGroupInfo").map((group) => ({
    groupId: textAt(group, "groupId"),
    rules: [
      ...items(group, "ipPermissions").flatMap((p) => ruleStrings("ingress", p)),
      ...items(group, "ipPermissionsEgress").flatMap((p) => ruleStrings("egress", p)),
    ].sort(),
  }));
}

function toInstance(element: XmlElement): DescribedInstance {
  const tags: Record<string, string> = {};
  for (const tag of items(element, "tagSet")) tags[textAt(tag, "key")] = textAt(tag, "value");
  return {
    instanceId: textAt(element, "instanceId"),
    state: textAt(element, "instanceState", "name"),
    instanceType: textAt(element, "instanceType"),
    tags,
  };
}

function ruleStrings(direction: "ingress" | "egress", permission: XmlElement): string[] {
  const protocol = textAt(permission, "ipProtocol");
  const ports =
    protocol === "-1" ? "all" : `${textAt(permission, "fromPort")}-${textAt(permission, "toPort")}`;
  const sources = [
    ...items(permission, "ipRanges").map((r) => textAt(r, "cidrIp")),
    ...items(permission, "ipv6Ranges").map((r) => textAt(r, "cidrIpv6")),
    ...items(permission, "groups").map((g) => textAt(g, "groupId")),
    ...items(permission, "prefixListIds").map((p) => textAt(p, "prefixListId")),
  ];
  return sources.map((source) => `${direction} ${protocol} ${ports} ${source}`);
}
