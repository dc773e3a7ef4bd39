import { describe, expect, it } from "vitest";
import { findCondition } from "../../api/conditions.js";
import type { MachinePlanNote } from "../../plans/machine-changes.js";
import { instancesFoundGone } from "./lost-instances.js";
import type { ClusterScope } from "./scope.js";
import { computeStatuses } from "./status.js";
import { awsMachine, awsOutputs, testScope } from "./test-scope.js";
import { validate } from "./validate.js";

const now = new Date("2026-02-01T00:00:00Z");

function scopeWith(outputs: Record<string, string>, extra: Partial<ClusterScope> = {}): ClusterScope {
  const scope = testScope([awsMachine("a"), awsMachine("b")], { outputs: awsOutputs(outputs), ...extra });
  const validation = validate(scope);
  if (!validation.ok) throw new Error("test scope should be valid");
  scope.model = validation.model;
  return scope;
}

const drift = (lost: Map<string, string>) => ({
  drifted: true,
  checkedAt: now.toISOString(),
  reason: "DriftDetected",
  message: "1 resource changed outside Terraform: aws_instance.machine_a (deleted)",
  lost,
});

const held = (notes: [string, MachinePlanNote][], policy: "manual" | "plan-only" = "manual") => ({
  id: "0123456789abcdef",
  policy,
  message: "plan 0123456789abcdef waits for approval",
  notes: new Map(notes),
});
const createNote: MachinePlanNote = { action: "create", message: "waits for plan 0123456789abcdef" };

const statusOf = (scope: ClusterScope, name: string) =>
  computeStatuses(scope, now).machines.find((m) => m.object.metadata.name === name)?.status;

describe("instancesFoundGone", () => {
  it("maps the drift check's deleted or recreated instance resources to their Machines", () => {
    const scope = scopeWith({ a: "i-a", b: "i-b" });
    const found = instancesFoundGone(scope, [
      { address: "aws_instance.machine_a", action: "delete" },
      { address: "aws_instance.machine_b", action: "update" },
      { address: "aws_vpc.main", action: "delete" },
    ]);
    expect(found).toEqual(new Map([["a", "i-a"]]));
  });
});

describe("Machines whose instance was terminated out of band", () => {
  it("are Ready=False InstanceTerminated, not Running, and the Cluster is not Ready while the correction runs", () => {
    const scope = scopeWith({ a: "i-a", b: "i-b" }, { drift: drift(new Map([["a", "i-a"]])) });
    const { machines, cluster } = computeStatuses(scope, now);
    const a = machines.find((m) => m.object.metadata.name === "a")?.status;
    expect(a?.phase).toBe("Provisioned");
    expect(a?.providerStatus?.instanceState).toBe("terminated");
    const ready = findCondition(a?.conditions, "Ready");
    expect(ready).toMatchObject({ status: "False", reason: "InstanceTerminated", observedGeneration: 1 });
    expect(ready?.message).toContain("instance i-a was terminated or deleted outside Terraform");
    expect(ready?.message).toContain("the drift check's plan creates it anew");
    expect(findCondition(statusOf(scope, "b")?.conditions, "Ready")?.status).toBe("True");
    expect(findCondition(cluster.status.conditions, "Ready")).toMatchObject({
      status: "False",
      reason: "MachinesNotReady",
      message: "machines not ready: a",
    });
  });

  it("name the held plan and its approve command while it waits, also on passes that ran no plan", () => {
    // A later pass: no drift check ran, only the held plan (which creates a recorded instance) is known.
    const scope = scopeWith({ a: "i-a", b: "i-b" }, { planPending: held([["a", createNote]]) });
    const a = statusOf(scope, "a");
    expect(a?.phase).not.toBe("Running");
    const ready = findCondition(a?.conditions, "Ready");
    expect(ready?.reason).toBe("InstanceTerminated");
    expect(ready?.message).toContain("instance i-a was terminated or deleted outside Terraform");
    expect(ready?.message).toContain(
      "waiting for approval of plan 0123456789abcdef, which creates it anew: kubectl annotate cluster demo clusterform.io/approve-plan=0123456789abcdef --overwrite",
    );
  });

  it("say plan-only never applies the plan that would recreate it", () => {
    const scope = scopeWith(
      { a: "i-a", b: "i-b" },
      { planPending: held([["a", createNote]], "plan-only"), drift: drift(new Map([["a", "i-a"]])) },
    );
    expect(findCondition(statusOf(scope, "a")?.conditions, "Ready")?.message).toContain(
      "plan 0123456789abcdef would create it anew, but apply policy plan-only never applies it",
    );
  });

  it("are Ready again with the new instance once the correcting apply recorded it", () => {
    const scope = scopeWith({ a: "i-new", b: "i-b" }, { drift: drift(new Map([["a", "i-a"]])) });
    const a = statusOf(scope, "a");
    expect(a?.phase).toBe("Running");
    expect(a?.providerID).toBe("aws:////i-new");
    expect(findCondition(a?.conditions, "Ready")).toMatchObject({
      status: "True",
      reason: "InstanceRunning",
    });
  });

  it("does not count a Machine the held plan creates for the first time", () => {
    const scope = scopeWith({ b: "i-b" }, { planPending: held([["a", createNote]]) });
    expect(findCondition(statusOf(scope, "a")?.conditions, "Ready")?.reason).toBe("PlanPending");
  });
});
