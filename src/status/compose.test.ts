import { describe, expect, it } from "vitest";
import type { Cluster } from "../api/cluster.js";
import { findCondition } from "../api/conditions.js";
import type { Machine } from "../api/machine.js";
import { composeStatuses } from "./compose.js";
import type { PassObservations } from "./observations.js";

const now = new Date("2026-03-01T10:00:00Z");
const cluster: Cluster = {
  apiVersion: "cluster.k8s.io/v1alpha1",
  kind: "Cluster",
  metadata: { name: "c1", namespace: "default", generation: 1 },
  spec: {},
};
const machine = (name: string, extra: Partial<Machine["metadata"]> = {}): Machine => ({
  apiVersion: "cluster.k8s.io/v1alpha1",
  kind: "Machine",
  metadata: { name, namespace: "default", generation: 1, ...extra },
  spec: { providerSpec: { value: {} } },
});
const outputs = {
  machines: {
    value: { a: { instance_id: "i-a", state: "running" }, b: { instance_id: "i-b", state: "running" } },
  },
  cluster: { value: { vpc_id: "vpc-1" } },
};
const pass = (extra: Partial<PassObservations> = {}): PassObservations => ({
  now,
  cluster,
  machines: [machine("a"), machine("b"), machine("gone", { deletionTimestamp: now.toISOString() })],
  stackMachines: ["a", "b"],
  provider: "aws",
  outputs,
  ...extra,
});
const types = (conditions: readonly { type: string }[] | undefined) => (conditions ?? []).map((c) => c.type);

describe("composeStatuses", () => {
  it("sets each owned condition once, the stack's Machines first and those leaving after", () => {
    const held = {
      id: "p1",
      policy: "manual",
      message: "plan p1 awaits approval",
      notes: new Map([["b", { action: "replace" as const, message: "subnet_id forces replacement" }]]),
    };
    const { cluster: c, machines } = composeStatuses(pass({ held }));
    expect(machines.map((m) => m.object.metadata.name)).toEqual(["a", "b", "gone"]);
    expect(types(c.status.conditions)).toEqual(["InfrastructureReady", "Ready", "PlanPending", "Drifted"]);
    expect(findCondition(c.status.conditions, "PlanPending")).toMatchObject({ status: "True" });
    const b = machines[1]?.status;
    expect(types(b?.conditions)).toEqual(["Ready", "PlanPending"]);
    expect(findCondition(b?.conditions, "PlanPending")).toMatchObject({ reason: "InstanceReplacement" });
    expect(types(machines[2]?.status.conditions)).toEqual(["Ready"]);
  });

  it("summarises a lost instance in the Machine's Ready and the Cluster's Ready names it", () => {
    const lost = new Map([
      ["a", { instanceId: "i-a", message: "instance i-a is gone; an apply replaces it" }],
    ]);
    const { cluster: c, machines } = composeStatuses(pass({ lost }));
    expect(findCondition(machines[0]?.status.conditions, "Ready")).toMatchObject({
      status: "False",
      reason: "InstanceTerminated",
      observedGeneration: 1,
    });
    expect(machines[0]?.status.phase).toBe("Provisioned");
    expect(findCondition(c.status.conditions, "Ready")?.message).toBe("machines not ready: a");
  });

  it("does not fail a Machine being deleted with the pass's error, but does with its own", () => {
    const error = { reason: "TerraformFailed", message: "boom", terminal: true };
    const gone = (extra: Partial<PassObservations>) =>
      composeStatuses(pass({ error, ...extra })).machines.find((m) => m.object.metadata.name === "gone");
    expect(gone({})?.status.phase).toBe("Deleting");
    const own = new Map([["gone", { reason: "InvalidConfiguration", message: "bad", terminal: true }]]);
    expect(gone({ machineErrors: own })?.status.errorReason).toBe("InvalidConfiguration");
  });

  it("keeps a transition time when only the reason changes", () => {
    const first = composeStatuses(pass({ outputs: { machines: { value: {} } } })).machines[0];
    const later = new Date("2026-03-01T11:00:00Z");
    const lost = new Map([["a", { instanceId: "i-a", message: "gone" }]]);
    const next = composeStatuses(
      pass({ now: later, lost, machines: [{ ...machine("a"), status: first?.status ?? {} }] }),
    ).machines[0];
    expect(findCondition(next?.status.conditions, "Ready")).toMatchObject({
      reason: "InstanceTerminated",
      lastTransitionTime: now.toISOString(),
    });
  });
});
