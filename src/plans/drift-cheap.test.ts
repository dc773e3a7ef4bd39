import { describe, expect, it } from "vitest";
import { exampleAwsModel } from "../../stacks/example-models.js";
import type { DescribedInstance } from "../cloud/ec2-describe.js";
import {
  type ExpectedInstance,
  expectedInstances,
  expectedSecurityGroupIds,
  instanceDifferences,
  newDifferences,
  securityGroupBaseline,
  securityGroupDifferences,
} from "./drift-cheap.js";

const TAGS = { Name: "m1", "clusterform.io/cluster": "ns/demo" };
const want: ExpectedInstance = { machine: "m1", instanceId: "i-1", instanceType: "t3.micro", tags: TAGS };
const seen = (patch: Partial<DescribedInstance> = {}): DescribedInstance => ({
  instanceId: "i-1",
  state: "running",
  instanceType: "t3.micro",
  tags: { ...TAGS },
  ...patch,
});

describe("expected instances (the last apply's outputs + the configuration)", () => {
  it("takes each Machine's recorded instance id and its configured type and tags", () => {
    const model = exampleAwsModel({
      name: "demo",
      namespace: "ns",
      machines: [
        { name: "m1", spec: { instanceType: "m5.large", additionalTags: { team: "a" } } },
        { name: "m2" },
      ],
    });
    const outputs = { machines: { value: { m1: { instance_id: "i-1" }, m2: { instance_id: "" } } } };
    const expected = expectedInstances(model, outputs);
    // m2 has no instance recorded yet (a plan is what creates it): nothing to compare.
    expect(expected.map((e) => e.machine)).toEqual(["m1"]);
    expect(expected[0]).toMatchObject({ instanceId: "i-1", instanceType: "m5.large" });
    expect(expected[0]?.tags).toMatchObject({
      Name: "m1",
      team: "a",
      "clusterform.io/cluster": "ns/demo",
      "clusterform.io/machine": "ns/m1",
    });
  });

  it("reads the security group ids from the cluster output, nothing when absent", () => {
    expect(
      expectedSecurityGroupIds({ cluster: { value: { security_group_ids: ["sg-1", "sg-2"] } } }),
    ).toEqual(["sg-1", "sg-2"]);
    expect(expectedSecurityGroupIds(undefined)).toEqual([]);
  });
});

describe("instance differences", () => {
  it("finds nothing when the instance runs as configured (pending too, and AWS's own tags ignored)", () => {
    expect(instanceDifferences([want], [seen()])).toEqual([]);
    expect(instanceDifferences([want], [seen({ state: "pending" })])).toEqual([]);
    expect(
      instanceDifferences([want], [seen({ tags: { ...TAGS, "aws:cloudformation:stack": "x" } })]),
    ).toEqual([]);
  });

  it("reports an instance terminated, stopped or no longer listed", () => {
    expect(instanceDifferences([want], [seen({ state: "terminated" })])).toEqual([
      "Machine m1: instance i-1 is terminated",
    ]);
    expect(instanceDifferences([want], [seen({ state: "stopped" })])).toEqual([
      "Machine m1: instance i-1 is stopped",
    ]);
    expect(instanceDifferences([want], [])).toEqual([
      "Machine m1: instance i-1 not found (deleted, or its clusterform.io/cluster tag changed)",
    ]);
  });

  it("reports an instance retyped or re-tagged (changed, added and removed tags)", () => {
    expect(instanceDifferences([want], [seen({ instanceType: "t3.large" })])).toEqual([
      "Machine m1: instance i-1 is a t3.large, configured t3.micro",
    ]);
    const [tags] = instanceDifferences(
      [want],
      [seen({ tags: { "clusterform.io/cluster": "ns/demo", Name: "x", extra: "1" } })],
    );
    expect(tags).toBe('Machine m1: instance i-1 tags changed: Name "m1" -> "x", extra (none) -> "1"');
    expect(instanceDifferences([want], [seen({ tags: { Name: "m1" } })])[0]).toContain(
      'clusterform.io/cluster "ns/demo" -> (none)',
    );
  });

  it("ignores instances of the cluster the last apply did not record (Terraform does not see them either)", () => {
    expect(instanceDifferences([want], [seen(), seen({ instanceId: "i-other", state: "stopped" })])).toEqual(
      [],
    );
  });
});

describe("security group differences", () => {
  const group = (rules: string[]) => ({ groupId: "sg-1", rules });
  const ssh = "ingress tcp 22-22 0.0.0.0/0";
  const api = "ingress tcp 6443-6443 0.0.0.0/0";

  it("reports a recorded group that is gone, with or without a baseline", () => {
    expect(securityGroupDifferences(["sg-1"], undefined, [])).toEqual([
      "security group sg-1 not found (deleted)",
    ]);
  });

  it("compares rules with the baseline: removed and added rules", () => {
    const baseline = securityGroupBaseline([group([api, ssh])]);
    expect(securityGroupDifferences(["sg-1"], baseline, [group([api, ssh])])).toEqual([]);
    expect(securityGroupDifferences(["sg-1"], baseline, [group([api])])).toEqual([
      `security group sg-1: rule "${ssh}" removed`,
    ]);
    expect(
      securityGroupDifferences(["sg-1"], baseline, [group([api, ssh, "ingress tcp 80-80 0.0.0.0/0"])]),
    ).toEqual(['security group sg-1: rule "ingress tcp 80-80 0.0.0.0/0" added']);
  });

  it("takes no view of rules without a baseline (the first check after an apply records it)", () => {
    expect(securityGroupDifferences(["sg-1"], undefined, [group([])])).toEqual([]);
  });
});

describe("new differences", () => {
  it("drops the differences a plan already answered, keeps new ones", () => {
    const stopped = "Machine m1: instance i-1 is stopped";
    const retyped = "Machine m2: instance i-2 is a t3.large, configured t3.micro";
    expect(newDifferences([stopped], [stopped])).toEqual([]);
    expect(newDifferences([stopped, retyped], [stopped])).toEqual([retyped]);
    expect(newDifferences([stopped], [])).toEqual([stopped]);
  });
});
