import { describe, expect, it } from "vitest";
import {
  adoptedInstanceChanges,
  adoptedInstancesHold,
  describeAdoptedChanges,
  withForcingAttributes,
} from "./adopted-guard.js";
import { APPLY_POLICY_ANNOTATION, decideByPolicy, resolveApplyPolicy } from "./apply-policy.js";
import { applyGuards } from "./guards.js";
import { summaryOf } from "./test-summary.js";

const adopted = [
  { machine: "legacy-0", instanceId: "i-0aaaaaaaaaaaaaaaa", address: "aws_instance.machine_legacy-0" },
  { machine: "legacy-1", instanceId: "i-0bbbbbbbbbbbbbbbb", address: "aws_instance.machine_legacy-1" },
];
const policy = (value: string) => resolveApplyPolicy({ [APPLY_POLICY_ANNOTATION]: value });
const guardAdoptedInstances = (
  decision: ReturnType<typeof decideByPolicy>,
  resolved: ReturnType<typeof policy>,
  changes: Parameters<typeof adoptedInstancesHold>[0],
) =>
  applyGuards(
    decision,
    resolved,
    [adoptedInstancesHold(changes)].flatMap((hold) => (hold ? [hold] : [])),
  );

describe("adoptedInstanceChanges", () => {
  it("finds replacements and deletes of adopted addresses only", () => {
    const changes = [
      { address: "aws_instance.machine_legacy-0", action: "replace" as const, reason: "cannot_update" },
      { address: "aws_instance.machine_legacy-1", action: "update" as const },
      { address: "aws_instance.machine_new", action: "replace" as const },
      { address: "aws_security_group.node", action: "delete" as const },
    ];
    expect(adoptedInstanceChanges(adopted, changes)).toEqual([
      { ...adopted[0], action: "replace", forcedBy: [], reason: "cannot_update" },
    ]);
    expect(
      adoptedInstanceChanges(adopted, [{ address: "aws_instance.machine_legacy-1", action: "delete" }]),
    ).toEqual([{ ...adopted[1], action: "delete", forcedBy: [] }]);
  });

  it("leaves an import, an update and a forget alone (the instance keeps running)", () => {
    const changes = (["import", "update", "forget", "noop"] as const).map((action) => ({
      address: "aws_instance.machine_legacy-0",
      action,
    }));
    expect(adoptedInstanceChanges(adopted, changes)).toEqual([]);
  });
});

describe("withForcingAttributes", () => {
  it("takes replace_paths and the action reason from the shown plan", () => {
    const [found] = adoptedInstanceChanges(adopted, [
      { address: "aws_instance.machine_legacy-0", action: "replace" },
    ]);
    const detail = {
      address: "aws_instance.machine_legacy-0",
      actions: ["delete", "create"],
      actionReason: "replace_because_cannot_update",
      replacePaths: ["subnet_id", "ami"],
      before: {},
      after: {},
      afterUnknown: {},
    };
    const [enriched] = withForcingAttributes(found ? [found] : [], [detail]);
    expect(enriched).toMatchObject({
      forcedBy: ["subnet_id", "ami"],
      reason: "replace_because_cannot_update",
    });
    expect(describeAdoptedChanges(enriched ? [enriched] : [])).toContain(
      "replaces adopted instance i-0aaaaaaaaaaaaaaaa (Machine legacy-0): subnet_id, ami force replacement",
    );
  });
});

describe("the adopted-instance guard", () => {
  const plan = summaryOf([
    { address: "aws_instance.machine_legacy-0", action: "replace", reason: "cannot_update" },
  ]);
  const changes = withForcingAttributes(adoptedInstanceChanges(adopted, plan.changes), [
    {
      address: "aws_instance.machine_legacy-0",
      actions: ["delete", "create"],
      replacePaths: ["subnet_id"],
      before: {},
      after: {},
      afterUnknown: {},
    },
  ]);

  it.each(["auto", "auto-additive", "manual", "nonsense"])(
    "holds under %s, naming the attribute",
    (value) => {
      const resolved = policy(value);
      const decision = guardAdoptedInstances(decideByPolicy(resolved, plan), resolved, changes);
      expect(decision.action).toBe("hold");
      expect(decision.reason).toContain("subnet_id forces replacement");
      expect(decision.reason).toContain("i-0aaaaaaaaaaaaaaaa");
    },
  );

  it("never applies under plan-only, and says why", () => {
    const resolved = policy("plan-only");
    const decision = guardAdoptedInstances(decideByPolicy(resolved, plan), resolved, changes);
    expect(decision).toEqual({ action: "none", reason: expect.stringContaining("subnet_id") });
  });

  it("leaves the policy's decision alone when no adopted instance is destroyed", () => {
    const resolved = policy("auto");
    const decision = decideByPolicy(resolved, plan);
    expect(guardAdoptedInstances(decision, resolved, [])).toBe(decision);
  });

  it("shortens a long list", () => {
    const many = Array.from({ length: 7 }, (_, i) => ({
      machine: `m${i}`,
      instanceId: `i-0${i}`,
      address: `a${i}`,
      action: "delete" as const,
      forcedBy: [],
    }));
    expect(describeAdoptedChanges(many)).toContain("deletes adopted instance i-04 (Machine m4) and 2 more");
  });
});
