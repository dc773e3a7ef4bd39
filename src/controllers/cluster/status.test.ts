import { describe, expect, it } from "vitest";
import { findCondition } from "../../api/conditions.js";
import { changed, computeStatuses } from "./status.js";
import { awsMachine, awsOutputs, testScope } from "./test-scope.js";
import { validate } from "./validate.js";

const now = new Date("2026-02-01T00:00:00Z");

function validScope(...args: Parameters<typeof testScope>) {
  const scope = testScope(...args);
  const validation = validate(scope);
  if (!validation.ok) throw new Error("test scope should be valid");
  scope.model = validation.model;
  return scope;
}

describe("computeStatuses", () => {
  it("marks machines the run creates Provisioning before terraform runs", () => {
    const scope = validScope([awsMachine("a")]);
    scope.provisioning = new Set(["a"]);
    const { machines, cluster } = computeStatuses(scope, now);
    expect(machines[0]?.status.phase).toBe("Provisioning");
    expect(cluster.status.phase).toBe("Provisioning");
  });

  it("makes a machine with a running instance Ready with its providerID and addresses", () => {
    const scope = validScope([awsMachine("a")], { outputs: awsOutputs({ a: "i-0abc" }) });
    const [machine] = computeStatuses(scope, now).machines;
    expect(machine?.status.providerID).toBe("aws:////i-0abc");
    expect(machine?.status.addresses).toContainEqual({ type: "InternalIP", address: "10.0.1.10" });
    expect(findCondition(machine?.status.conditions, "Ready")?.status).toBe("True");
    expect(machine?.status.observedGeneration).toBe(1);
  });

  it("shows the pass's plan in the Cluster's status and remembers an applied one", () => {
    const scope = validScope([awsMachine("a")], { outputs: awsOutputs({ a: "i-1" }) });
    scope.plan = { id: "p1", add: 1, change: 0, destroy: 0, replace: 0, state: "Applied" };
    const { cluster } = computeStatuses(scope, now);
    expect(cluster.status.plan).toMatchObject({ id: "p1", state: "Applied" });
    expect(cluster.status.lastAppliedPlan).toBe("p1");
  });

  it("says a plan applied outside clusterform was applied externally, and remembers it as applied", () => {
    const scope = validScope([awsMachine("a")], { outputs: awsOutputs({ a: "i-1" }) });
    scope.plan = {
      id: "p2",
      add: 3,
      change: 0,
      destroy: 0,
      replace: 0,
      state: "Applied",
      appliedBy: "external",
    };
    const { cluster } = computeStatuses(scope, now);
    expect(cluster.status.lastAppliedPlan).toBe("p2");
    expect(findCondition(cluster.status.conditions, "PlanPending")).toMatchObject({
      status: "False",
      reason: "AppliedOutside",
    });
  });

  it("shows a retryable error as a condition, not as a terminal errorReason", () => {
    const scope = validScope([awsMachine("a")]);
    scope.error = { reason: "StateLocked", message: "lock held", terminal: false };
    const [machine] = computeStatuses(scope, now).machines;
    expect(machine?.status.errorReason).toBeUndefined();
    expect(machine?.status.phase).toBe("Pending");
    expect(findCondition(machine?.status.conditions, "Ready")).toMatchObject({
      status: "False",
      reason: "StateLocked",
    });
  });

  it("gives a machine being deleted the Deleting phase, not its cluster's error", () => {
    const leaving = awsMachine("gone", { deletionTimestamp: "2026-02-01T00:00:00Z" });
    const scope = validScope([awsMachine("a"), leaving]);
    scope.error = { reason: "TerraformFailed", message: "boom", terminal: true };
    const gone = computeStatuses(scope, now).machines.find((m) => m.object.metadata.name === "gone");
    expect(gone?.status.phase).toBe("Deleting");
    expect(gone?.status.errorReason).toBeUndefined();
  });
});

describe("statuses of an invalid cluster", () => {
  it("fails the machine at fault with its field message and keeps the others waiting", () => {
    const bad = awsMachine("bad");
    bad.spec.providerSpec = { value: { apiVersion: "awsprovider/v1alpha1", kind: "AWSMachineProviderSpec" } };
    const scope = testScope([awsMachine("good"), bad]);
    const validation = validate(scope);
    expect(validation.ok).toBe(false);
    if (validation.ok) return;
    scope.invalid = validation.errors;
    const statuses = computeStatuses(scope, now);
    const byName = new Map(statuses.machines.map((m) => [m.object.metadata.name, m.status]));
    expect(byName.get("bad")?.errorReason).toBe("InvalidConfiguration");
    expect(byName.get("bad")?.errorMessage).toMatch(/Machine default\/bad: spec\.providerSpec\.value/);
    expect(byName.get("good")?.errorReason).toBeUndefined();
    expect(findCondition(byName.get("good")?.conditions, "Ready")?.reason).toBe("InvalidConfiguration");
    expect(statuses.cluster.status.errorReason).toBe("InvalidConfiguration");
    expect(findCondition(statuses.cluster.status.conditions, "Ready")?.status).toBe("False");
  });
});

describe("changed", () => {
  it("ignores lastUpdated alone", () => {
    expect(changed({ phase: "Running", lastUpdated: "a" }, { phase: "Running", lastUpdated: "b" })).toBe(
      false,
    );
    expect(changed({ phase: "Running" }, { phase: "Deleting" })).toBe(true);
  });
});
