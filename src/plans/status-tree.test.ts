import { describe, expect, it } from "vitest";
import type { Cluster } from "../api/cluster.js";
import type { Machine } from "../api/machine.js";
import type { MachineDeployment, MachineSet } from "../api/machine-set.js";
import { renderStatusTree } from "./status-tree.js";

const API = "cluster.k8s.io/v1alpha1" as const;
const owner = (kind: string, name: string) => [{ apiVersion: API, kind, name, uid: `${name}-uid` }];
const machine = (
  name: string,
  phase: string,
  ready: "True" | "False",
  set?: string,
  message?: string,
): Machine => ({
  apiVersion: API,
  kind: "Machine",
  metadata: { name, ...(set ? { ownerReferences: owner("MachineSet", set) } : {}) },
  spec: {} as Machine["spec"],
  status: {
    phase,
    conditions: [
      {
        type: "Ready",
        status: ready,
        reason: ready === "True" ? "Ready" : "PlanPending",
        ...(message ? { message } : {}),
      },
    ],
  },
});

const cluster: Cluster = {
  apiVersion: API,
  kind: "Cluster",
  metadata: { name: "demo", namespace: "default" },
  spec: {} as Cluster["spec"],
  status: {
    phase: "Provisioned",
    conditions: [
      { type: "Ready", status: "True", reason: "Ready" },
      {
        type: "Drifted",
        status: "True",
        reason: "Drifted",
        message: "1 resource changed outside Terraform: aws_instance.x (deleted)",
      },
    ],
    plan: { id: "0123456789abcdef", add: 1, change: 0, destroy: 0, replace: 0, state: "Pending" },
    lastDriftCheck: "2026-01-01T00:00:00Z",
  },
};
const deployment: MachineDeployment = {
  apiVersion: API,
  kind: "MachineDeployment",
  metadata: { name: "workers" },
  spec: { replicas: 3 } as MachineDeployment["spec"],
  status: { readyReplicas: 2 },
};
const set: MachineSet = {
  apiVersion: API,
  kind: "MachineSet",
  metadata: { name: "workers-abc", ownerReferences: owner("MachineDeployment", "workers") },
  spec: { replicas: 3 } as MachineSet["spec"],
  status: { readyReplicas: 2 },
};

describe("renderStatusTree", () => {
  const text = renderStatusTree({
    cluster,
    deployments: [deployment],
    sets: [set],
    machines: [
      machine("w-1", "Running", "True", "workers-abc"),
      machine("w-2", "Running", "True", "workers-abc"),
      machine("w-3", "Pending", "False", "workers-abc", "waiting for plan approval"),
      machine("cp-0", "Running", "True"),
    ],
  });
  const lines = text.split("\n");

  it("shows the Cluster at the root with the pending plan, its approve command and the drift", () => {
    expect(lines[0]).toMatch(/^NAME\s+READY\s+MESSAGE$/);
    expect(lines[1]).toMatch(/^Cluster\/demo\s+True\s+Provisioned$/);
    expect(text).toMatch(
      /├─Plan 0123456789abcdef\s+Pending\s+1 to add, 0 to change, 0 to destroy; review: clusterform plan show demo/,
    );
    expect(text).toContain(
      "kubectl annotate cluster demo clusterform.io/approve-plan=0123456789abcdef --overwrite",
    );
    expect(text).toMatch(
      /├─Drift\s+Drifted\s+checked 2026-01-01T00:00:00Z: 1 resource changed outside Terraform/,
    );
  });

  it("nests sets under deployments and groups Machines by phase and readiness", () => {
    expect(text).toMatch(/├─MachineDeployment\/workers\s+2\/3/);
    expect(text).toMatch(/│ └─MachineSet\/workers-abc\s+2\/3/);
    expect(text).toMatch(/│ {3}├─Pending \(1\)\s+False\s+w-3: PlanPending waiting for plan approval/);
    expect(text).toMatch(/│ {3}└─Running \(2\)\s+True\s+w-1, w-2$/m);
    expect(text).toMatch(/└─Machines\n {2}└─Running \(1\)\s+True\s+cp-0/);
  });
});

describe("renderStatusTree with the workload cluster read", () => {
  const withNode = (
    name: string,
    node: string | undefined,
    healthy: "True" | "False",
    reason: string,
  ): Machine => {
    const base = machine(name, node ? "Running" : "Provisioned", node ? "True" : "False");
    return {
      ...base,
      status: {
        ...base.status,
        ...(node ? { nodeRef: { kind: "Node", apiVersion: "v1", name: node } } : {}),
        conditions: [
          ...(base.status?.conditions ?? []),
          { type: "NodeHealthy", status: healthy, reason, message: node ? `Node ${node}` : "no Node yet" },
        ],
      },
    };
  };

  it("shows each Machine's Node and its readiness under its group", () => {
    const text = renderStatusTree({
      cluster,
      deployments: [],
      sets: [],
      machines: [
        withNode("m-1", "ip-1", "True", "KubeletReady"),
        withNode("m-2", undefined, "False", "NodeNotRegistered"),
      ],
    });
    expect(text).toMatch(/m-1: Node\/ip-1\s+True$/m);
    expect(text).toMatch(/m-2: no Node\s+False\s+NodeNotRegistered no Node yet/);
  });
});
