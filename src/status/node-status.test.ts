import { describe, expect, it } from "vitest";
import type { Machine } from "../api/machine.js";
import { computeMachineStatus } from "./machine-status.js";
import { nodeStartupDelay } from "./node-status.js";
import type { MachineObservation } from "./observe.js";
import { providerIDKey, summarizeNode, type WorkloadObservation } from "./workload.js";

const now = new Date("2026-01-01T00:20:00Z");
const providerID = "aws:////i-1";
const machine = (status?: Machine["status"]): Machine => ({
  apiVersion: "cluster.k8s.io/v1alpha1",
  kind: "Machine",
  metadata: { name: "m-1", namespace: "default" },
  spec: { providerSpec: {} } as Machine["spec"],
  ...(status ? { status } : {}),
});
const running: MachineObservation = {
  providerID,
  addresses: [],
  providerStatus: { instanceID: "i-1" },
  instanceState: "running",
};
const reachable = (nodes: WorkloadObservation["nodes"] = new Map()): WorkloadObservation => ({
  api: "reachable",
  address: "https://10.0.0.1:6443",
  nodes,
});
const condition = (status: ReturnType<typeof computeMachineStatus>, type: string) =>
  status.conditions?.find((c) => c.type === type);

describe("Machine status from the workload cluster", () => {
  it("is Running on the instance alone when the workload cluster is not read", () => {
    const status = computeMachineStatus({
      machine: machine(),
      observation: running,
      provisioning: false,
      now,
    });
    expect(status.phase).toBe("Running");
    expect(condition(status, "NodeHealthy")).toBeUndefined();
  });

  it("stays Provisioned, Ready=False NodeNotRegistered, while no Node has the providerID", () => {
    const status = computeMachineStatus({
      machine: machine(),
      observation: running,
      provisioning: false,
      now,
      workload: reachable(),
    });
    expect(status.phase).toBe("Provisioned");
    expect(condition(status, "Ready")).toMatchObject({ status: "False", reason: "NodeNotRegistered" });
    expect(condition(status, "NodeHealthy")).toMatchObject({ status: "False", reason: "NodeNotRegistered" });
  });

  it("says what to look at once the Node startup timeout has passed", () => {
    const waitingSince = {
      type: "NodeHealthy",
      status: "False",
      reason: "NodeNotRegistered",
      lastTransitionTime: "2026-01-01T00:00:00Z",
    };
    const status = computeMachineStatus({
      machine: machine({ conditions: [waitingSince] }),
      observation: running,
      provisioning: false,
      now,
      workload: reachable(),
      nodeStartupTimeoutMs: 15 * 60_000,
    });
    const healthy = condition(status, "NodeHealthy");
    expect(healthy?.reason).toBe("NodeStartupTimeout");
    expect(healthy?.message).toContain("Secret m-1-bootstrap");
    expect(healthy?.message).toContain("get-console-output");
  });

  it("sets nodeRef and NodeHealthy from the matching Node, and is Running", () => {
    const nodes = new Map([
      [
        providerIDKey(providerID),
        {
          name: "ip-1",
          uid: "u1",
          ready: { status: "False" as const, reason: "KubeletNotReady" },
          unschedulable: false,
        },
      ],
    ]);
    const status = computeMachineStatus({
      machine: machine(),
      observation: running,
      provisioning: false,
      now,
      workload: reachable(nodes),
    });
    expect(status.phase).toBe("Running");
    expect(status.nodeRef).toEqual({ kind: "Node", apiVersion: "v1", name: "ip-1", uid: "u1" });
    expect(condition(status, "NodeHealthy")).toMatchObject({ status: "False", reason: "KubeletNotReady" });
  });

  it("matches the Node the AWS cloud provider names aws:///<zone>/<instance> to the Machine's aws:////<instance>", () => {
    const summary = summarizeNode({
      metadata: { name: "ip-10-0-1-5", uid: "u2" },
      spec: { providerID: "aws:///us-east-1a/i-1" },
      status: { conditions: [{ type: "Ready", status: "True" }] },
    });
    expect(summary?.providerID).toBe(providerIDKey(providerID));
    const status = computeMachineStatus({
      machine: machine(),
      observation: running,
      provisioning: false,
      now,
      workload: reachable(new Map(summary ? [[summary.providerID, summary.summary]] : [])),
    });
    expect(status.nodeRef?.name).toBe("ip-10-0-1-5");
    expect(providerIDKey("vsphere://4201-abc")).toBe("vsphere://4201-abc");
    expect(providerIDKey("aws:////i-2")).not.toBe(providerIDKey("aws:////i-1"));
  });

  it("keeps the last nodeRef and says Unknown while the workload API is unreachable", () => {
    const nodeRef = { kind: "Node", apiVersion: "v1", name: "ip-1" };
    const status = computeMachineStatus({
      machine: machine({ nodeRef }),
      observation: running,
      provisioning: false,
      now,
      workload: {
        api: "unreachable",
        address: "https://10.0.0.1:6443",
        error: "connect ECONNREFUSED",
        nodes: new Map(),
      },
    });
    expect(status.phase).toBe("Running");
    expect(status.nodeRef).toEqual(nodeRef);
    const healthy = condition(status, "NodeHealthy");
    expect(healthy).toMatchObject({ status: "Unknown", reason: "WorkloadAPIUnreachable" });
    expect(healthy?.message).toContain("https://10.0.0.1:6443");
    expect(healthy?.message).toContain("ECONNREFUSED");
  });
});

describe("waiting for a Node", () => {
  const waiting = (since: string, reason = "NodeNotRegistered") =>
    machine({ conditions: [{ type: "NodeHealthy", status: "False", reason, lastTransitionTime: since }] });

  it("says the same thing on every pass until the timeout (no elapsed figure to rewrite the status)", () => {
    const at = (when: Date) =>
      condition(
        computeMachineStatus({
          machine: waiting("2026-01-01T00:19:00Z"),
          observation: running,
          provisioning: false,
          now: when,
          workload: reachable(),
          nodeStartupTimeoutMs: 15 * 60_000,
        }),
        "NodeHealthy",
      );
    const early = at(now);
    expect(early?.reason).toBe("NodeNotRegistered");
    expect(early?.message).toContain("node startup timeout 15m");
    expect(at(new Date(now.getTime() + 7_000))?.message).toBe(early?.message);
  });

  it("is due again when the first waiting Machine reaches the node startup timeout", () => {
    const machines = [
      waiting("2026-01-01T00:19:00Z"),
      waiting("2026-01-01T00:10:00Z"),
      waiting("2026-01-01T00:00:00Z", "NodeStartupTimeout"),
      machine(),
    ];
    expect(nodeStartupDelay(machines, now, 15 * 60_000)).toBe(5 * 60_000);
    expect(
      nodeStartupDelay([machines[2] as Machine, machines[3] as Machine], now, 15 * 60_000),
    ).toBeUndefined();
    // A deadline already past waits for a pass that reads the workload cluster (no busy loop).
    expect(nodeStartupDelay([machines[1] as Machine], now, 60_000)).toBeUndefined();
  });
});
