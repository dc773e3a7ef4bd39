import { CLUSTER_OUTPUT, MACHINES_OUTPUT, machineTags } from "../../stacks/index.js";
import type { DescribedInstance, DescribedSecurityGroup } from "../cloud/ec2-describe.js";
import type { AwsClusterModel } from "../model/types.js";
import { listSome } from "./apply-policy.js";
import { changedPaths, showValue } from "./drift.js";

/**
 * The cheap drift check's comparison (pure): what the last apply recorded
 * and the configuration says, against what one DescribeInstances and one
 * DescribeSecurityGroups show. Each difference becomes a short reason; any
 * new reason makes the controller run a real plan at once. What it covers
 * and what it cannot see: docs/plans.md, "The cheap drift check".
 */

/** An instance the last apply recorded for a Machine, as the unchanged configuration describes it. */
export interface ExpectedInstance {
  machine: string;
  instanceId: string;
  instanceType: string;
  tags: Record<string, string>;
}

/** States an instance Terraform created may be seen in without anything having drifted. */
const LIVE_STATES = new Set(["pending", "running"]);
/** Tags AWS itself adds; Terraform's provider ignores them too. */
const AWS_TAG_PREFIX = "aws:";

/** Instances the outputs of the last apply name, with the type and tags the configuration gives them. */
export function expectedInstances(
  model: AwsClusterModel,
  outputs: Record<string, { value?: unknown }> | undefined,
): ExpectedInstance[] {
  const recorded = asRecord(outputs?.[MACHINES_OUTPUT]?.value);
  const expected: ExpectedInstance[] = [];
  for (const machine of model.machines) {
    const instanceId = asRecord(recorded[machine.name]).instance_id;
    if (typeof instanceId !== "string" || instanceId === "") continue;
    expected.push({
      machine: machine.name,
      instanceId,
      instanceType: machine.providerSpec.instanceType,
      tags: { ...machineTags(model, machine) },
    });
  }
  return expected;
}

/** The cluster's security groups as the last apply's `cluster` output names them. */
export function expectedSecurityGroupIds(outputs: Record<string, { value?: unknown }> | undefined): string[] {
  const ids = asRecord(outputs?.[CLUSTER_OUTPUT]?.value).security_group_ids;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string" && id !== "") : [];
}

/** Differences between the recorded instances and the described ones, one reason each. */
export function instanceDifferences(
  expected: readonly ExpectedInstance[],
  described: readonly DescribedInstance[],
): string[] {
  const byId = new Map(described.map((i) => [i.instanceId, i]));
  return expected.flatMap((want) => {
    const where = `Machine ${want.machine}: instance ${want.instanceId}`;
    const seen = byId.get(want.instanceId);
    if (!seen) return [`${where} not found (deleted, or its clusterform.io/cluster tag changed)`];
    if (!LIVE_STATES.has(seen.state)) return [`${where} is ${seen.state}`];
    const reasons: string[] = [];
    if (seen.instanceType !== want.instanceType)
      reasons.push(`${where} is a ${seen.instanceType}, configured ${want.instanceType}`);
    const tags = changedPaths(want.tags, withoutAwsTags(seen.tags)).map(
      ({ path, before, after }) => `${path} ${showValue(before)} -> ${showValue(after)}`,
    );
    if (tags.length > 0) reasons.push(`${where} tags changed: ${listSome(tags, 3)}`);
    return reasons;
  });
}

/**
 * Security groups: one the last apply recorded that is gone, and rules added
 * or removed since the baseline (the rules seen at the first check after
 * the last apply or full plan; undefined: no baseline yet, only existence).
 */
export function securityGroupDifferences(
  expectedIds: readonly string[],
  baseline: Readonly<Record<string, readonly string[]>> | undefined,
  described: readonly DescribedSecurityGroup[],
): string[] {
  const byId = new Map(described.map((g) => [g.groupId, g]));
  return expectedIds.flatMap((id) => {
    const seen = byId.get(id);
    if (!seen) return [`security group ${id} not found (deleted)`];
    const before = baseline?.[id];
    if (!before) return [];
    const now = new Set(seen.rules);
    const then = new Set(before);
    return [
      ...before
        .filter((rule) => !now.has(rule))
        .map((rule) => `security group ${id}: rule "${rule}" removed`),
      ...seen.rules
        .filter((rule) => !then.has(rule))
        .map((rule) => `security group ${id}: rule "${rule}" added`),
    ];
  });
}

/** The rules of the groups as described: the baseline later checks compare with. */
export function securityGroupBaseline(
  described: readonly DescribedSecurityGroup[],
): Record<string, string[]> {
  return Object.fromEntries(described.map((g) => [g.groupId, [...g.rules]]));
}

/**
 * Reasons a plan has not yet answered. A difference Terraform does not
 * correct (a stopped instance: `instance_state` is not configured) would
 * otherwise trigger a plan at every check; once a full plan ran after it was
 * reported, the same reason is known and no longer triggers one.
 */
export function newDifferences(reasons: readonly string[], known: readonly string[]): string[] {
  const seen = new Set(known);
  return reasons.filter((reason) => !seen.has(reason));
}

function withoutAwsTags(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([key]) => !key.startsWith(AWS_TAG_PREFIX)));
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
