import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type AwsApiTarget, awsApiTarget } from "../../cloud/aws-target.js";
import { describeInstancesTagged, describeSecurityGroups } from "../../cloud/ec2-describe.js";
import type { ConvergeOptions } from "../../converge/options.js";
import type { ClusterModel } from "../../model/types.js";
import {
  expectedInstances,
  expectedSecurityGroupIds,
  instanceDifferences,
  newDifferences,
  securityGroupBaseline,
  securityGroupDifferences,
} from "../../plans/drift-cheap.js";
import { writeJsonAtomic } from "../../util/atomic-write.js";
import type { ClusterScope } from "./scope.js";

/**
 * The cheap drift check of an AWS cluster (docs/plans.md, "The cheap drift
 * check"): one DescribeInstances by the cluster's tag and one
 * DescribeSecurityGroups, signed with the credentials Terraform uses,
 * compared with what the last apply recorded. Its record, beside the state,
 * keeps when it last ran, the security groups' rules baseline and the
 * differences already handed to a plan.
 */

export const CHEAP_DRIFT_RECORD_FILE = "cheap-drift-check.json";

interface CheapDriftRecord {
  checkedAt: string;
  /** The apply and full plan the baseline was taken after: a new one of either takes a new baseline. */
  baselineOf: string;
  securityGroups: Record<string, string[]>;
  /** Differences reported to a plan, and when: known once a full plan ran after that. */
  reported?: { at: string; reasons: string[] };
}

export type CheapDriftResult =
  /** drifted: run a plan now; reasons: every difference seen (known ones included). */
  | { kind: "checked"; drifted: boolean; fresh: string[]; reasons: string[] }
  /** The check could not answer (an API error): a full plan decides instead. */
  | { kind: "failed"; message: string };

/** Whether the cluster gets cheap checks: AWS, with credentials the check can sign with. */
export function cheapCheckTarget(
  converge: ConvergeOptions,
  scope: ClusterScope,
  model: ClusterModel | undefined = scope.model,
): AwsApiTarget | undefined {
  if (model?.provider !== "aws") return undefined;
  const result = awsApiTarget(converge.env ?? process.env, model.spec.region, converge.awsEndpoint);
  return result.ok ? result.target : undefined;
}

/** When the last cheap check ran (undefined: never, or no record). */
export async function lastCheapCheck(workDir: string): Promise<string | undefined> {
  return (await readRecord(workDir))?.checkedAt;
}

export async function runCheapDriftCheck(
  target: AwsApiTarget,
  scope: ClusterScope,
  model: ClusterModel & { provider: "aws" },
  now: Date,
): Promise<CheapDriftResult> {
  const lastFull = scope.drift?.checkedAt ?? scope.cluster.status?.lastDriftCheck;
  const expected = expectedInstances(model, scope.outputs);
  const groupIds = expectedSecurityGroupIds(scope.outputs);
  let described: Awaited<ReturnType<typeof describeAll>>;
  try {
    described = await describeAll(target, `${model.namespace}/${model.name}`, groupIds);
  } catch (error) {
    return { kind: "failed", message: (error as Error).message };
  }
  const record = await readRecord(scope.workDir);
  const baselineOf = `${scope.applied?.appliedAt ?? ""}|${lastFull ?? ""}`;
  const baseline = record?.baselineOf === baselineOf ? record.securityGroups : undefined;
  const reasons = [
    ...instanceDifferences(expected, described.instances),
    ...securityGroupDifferences(groupIds, baseline, described.groups),
  ];
  const reported = record?.reported;
  const answered = reported && lastFull && Date.parse(lastFull) >= Date.parse(reported.at);
  const fresh = newDifferences(reasons, answered ? reported.reasons : []);
  const checkedAt = now.toISOString();
  const next: CheapDriftRecord = {
    checkedAt,
    baselineOf,
    securityGroups: baseline ?? securityGroupBaseline(described.groups),
    ...(fresh.length > 0
      ? { reported: { at: checkedAt, reasons } }
      : reasons.length > 0 && reported
        ? { reported }
        : {}),
  };
  await writeJsonAtomic(join(scope.workDir, CHEAP_DRIFT_RECORD_FILE), next);
  return { kind: "checked", drifted: fresh.length > 0, fresh, reasons };
}

async function describeAll(target: AwsApiTarget, cluster: string, groupIds: readonly string[]) {
  const [instances, groups] = await Promise.all([
    describeInstancesTagged(target, { key: "clusterform.io/cluster", value: cluster }),
    describeSecurityGroups(target, groupIds),
  ]);
  return { instances, groups };
}

async function readRecord(workDir: string): Promise<CheapDriftRecord | undefined> {
  const text = await readFile(join(workDir, CHEAP_DRIFT_RECORD_FILE), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<CheapDriftRecord>;
    return typeof parsed.checkedAt === "string" && typeof parsed.baselineOf === "string"
      ? (parsed as CheapDriftRecord)
      : undefined;
  } catch {
    // A torn record only costs one baseline.
    return undefined;
  }
}
