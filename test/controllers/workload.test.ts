import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { liveInstances } from "../../src/sandbox/ec2.js";
import { awsClusterYaml, awsMachineYaml } from "../helpers/aws-manifests.js";
import { type ConditionJson, conditionOf, objectsIn } from "../helpers/cluster-objects.js";
import { eventually, startTestControlPlane, type TestControlPlane } from "../helpers/control-plane.js";
import { type ControllerHarness, startControllers } from "../helpers/controllers.js";

// Reading the workload cluster (docs/workload.md). A second embedded control
// plane plays the workload API server, reached through
// --workload-kubeconfig-override; the test plays the kubelets by registering
// Nodes with the instances' providerIDs. One small cluster: a control-plane
// Machine and a MachineDeployment of two workers.
const endpoint = inject("awsEndpoint");
const mirror = inject("providerMirror");
const NAMESPACE = "workload-e2e";
const CLUSTER = "delta";
const DEPLOYMENT = "delta-workers";

let cp: TestControlPlane;
let workload: TestControlPlane | undefined;
let controllers: ControllerHarness | undefined;

const MANIFESTS = `${awsClusterYaml({ name: CLUSTER, namespace: NAMESPACE, net: "10.7" })}---
apiVersion: cluster.k8s.io/v1alpha1
kind: MachineClass
metadata: {name: delta-small, namespace: ${NAMESPACE}}
providerSpec:
  value:
    apiVersion: awsprovider/v1alpha1
    kind: AWSMachineProviderSpec
    ami: {id: ami-04681a1dbd79675a5}
    instanceType: t3.micro
---
apiVersion: cluster.k8s.io/v1alpha1
kind: Machine
metadata:
  name: delta-cp-0
  namespace: ${NAMESPACE}
  labels: {cluster.k8s.io/cluster-name: ${CLUSTER}}
spec:
  providerSpec:
    valueFrom:
      machineClass: {name: delta-small}
  versions: {kubelet: 1.13.6, controlPlane: 1.13.6}
---
apiVersion: cluster.k8s.io/v1alpha1
kind: MachineDeployment
metadata:
  name: ${DEPLOYMENT}
  namespace: ${NAMESPACE}
  labels: {cluster.k8s.io/cluster-name: ${CLUSTER}}
spec:
  replicas: 2
  selector:
    matchLabels: {cluster.k8s.io/cluster-name: ${CLUSTER}, pool: workers}
  template:
    metadata:
      labels: {cluster.k8s.io/cluster-name: ${CLUSTER}, pool: workers}
    spec:
      providerSpec:
        valueFrom:
          machineClass: {name: delta-small}
      versions: {kubelet: 1.13.6}
`;

interface MachineJson {
  metadata: { name: string; deletionTimestamp?: string };
  status?: {
    phase?: string;
    providerID?: string;
    nodeRef?: { kind: string; apiVersion: string; name: string; uid?: string };
    conditions?: ConditionJson[];
  };
}

async function machines(): Promise<MachineJson[]> {
  // Only this cluster's Machines (the last case adds another cluster to the namespace).
  const out = await cp.kubectlOk([
    "get",
    "machines",
    "-n",
    NAMESPACE,
    "-l",
    `cluster.k8s.io/cluster-name=${CLUSTER}`,
    "-o",
    "json",
  ]);
  return (JSON.parse(out) as { items: MachineJson[] }).items;
}

const clusterInstances = () =>
  liveInstances(endpoint, { "tag:clusterform.io/cluster": `${NAMESPACE}/${CLUSTER}` });

async function nodeNames(): Promise<string[]> {
  const out = await (workload as TestControlPlane).kubectlOk(["get", "nodes", "-o", "name"]);
  return out.split("\n").filter(Boolean);
}

/** The kubelet's part: a Node named after the instance, with its providerID, then Ready through /status. */
async function registerNode(providerID: string): Promise<void> {
  const kubectl = (workload as TestControlPlane).kubectlOk;
  const name = `ip-${providerID.split("/").pop()}`;
  await kubectl(
    ["apply", "-f", "-"],
    `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\nspec: {providerID: "${providerID}"}\n`,
  );
  const ready = {
    status: {
      conditions: [
        { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" },
      ],
    },
  };
  await kubectl(["patch", "node", name, "--subresource=status", "--type=merge", "-p", JSON.stringify(ready)]);
}

beforeAll(async () => {
  cp = await startTestControlPlane();
  workload = await startTestControlPlane();
  await cp.kubectlOk(["create", "namespace", NAMESPACE]);
  controllers = await startControllers({
    cp,
    namespace: NAMESPACE,
    endpoint,
    providerMirror: mirror,
    machineSets: true,
    cluster: {
      workload: {
        overrides: new Map([[`${NAMESPACE}/${CLUSTER}`, workload.kubeconfigPath]]),
        nodeDeletionTimeoutMs: 10_000,
        requestTimeoutMs: 3_000,
        retry: { baseMs: 500, maxMs: 2_000 },
      },
    },
  });
});

afterAll(async () => {
  await controllers?.stop();
  await workload?.stop();
  await cp?.stop();
});

describe("reading the workload cluster", () => {
  const objects = () => objectsIn(cp, NAMESPACE);

  it("keeps running instances Provisioned until their Nodes register, then Running with nodeRefs", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], MANIFESTS);
    const waiting = (await eventually(
      async () => {
        const all = await machines();
        const ok =
          all.length === 3 && all.every((m) => conditionOf(m, "NodeHealthy")?.reason === "NodeNotRegistered");
        return ok ? all : false;
      },
      "3 Machines with running instances waiting for their Nodes",
      400_000,
    )) as MachineJson[];
    for (const machine of waiting) {
      expect(machine.status?.phase).toBe("Provisioned");
      expect(conditionOf(machine, "Ready")?.status).toBe("False");
      expect(conditionOf(machine, "NodeHealthy")?.message).toContain(machine.status?.providerID);
    }
    const cluster = await objects().cluster(CLUSTER);
    expect(conditionOf(cluster, "WorkloadAPIReachable")?.status).toBe("True");
    expect(conditionOf(cluster, "ControlPlaneInitialized")).toMatchObject({
      status: "False",
      reason: "WaitingForInitMachineNode",
    });

    for (const machine of waiting) await registerNode(machine.status?.providerID as string);
    await eventually(
      // The Node is registered first and reports Ready a moment later (as a kubelet does): both must show.
      async () =>
        (await machines()).every(
          (m) =>
            m.status?.phase === "Running" &&
            m.status.nodeRef &&
            conditionOf(m, "NodeHealthy")?.status === "True",
        ),
      "every Machine Running with a nodeRef and a healthy Node",
      120_000,
    );
    for (const machine of await machines()) {
      expect(machine.status?.nodeRef).toMatchObject({
        kind: "Node",
        apiVersion: "v1",
        name: `ip-${machine.status?.providerID?.split("/").pop()}`,
      });
      expect(conditionOf(machine, "NodeHealthy")).toMatchObject({ status: "True", reason: "KubeletReady" });
      expect(conditionOf(machine, "Ready")?.status).toBe("True");
    }
    await cp.kubectlOk([
      "wait",
      "--for=condition=ControlPlaneInitialized",
      `cluster/${CLUSTER}`,
      "-n",
      NAMESPACE,
      "--timeout=60s",
    ]);
    await cp.kubectlOk([
      "wait",
      "--for=condition=ControlPlaneReady",
      `cluster/${CLUSTER}`,
      "-n",
      NAMESPACE,
      "--timeout=60s",
    ]);
    // Real kubectl against the workload API sees the Nodes in their normal shape.
    const table = await (workload as TestControlPlane).kubectlOk(["get", "nodes"]);
    expect(table.split("\n").filter((line) => /\sTrue\s+aws:\/\/\/\/i-/.test(line))).toHaveLength(3);
  });

  it("deletes a leaving Machine's Node before its instance is destroyed", async () => {
    const samples: { nodes: number; instances: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [nodes, instances] = await Promise.all([nodeNames(), clusterInstances()]);
        samples.push({ nodes: nodes.length, instances: instances.length });
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    })();
    await cp.kubectlOk(["scale", "machinedeployment", DEPLOYMENT, "-n", NAMESPACE, "--replicas=1"]);
    await eventually(async () => (await clusterInstances()).length === 2, "2 instances left", 400_000);
    sampling = false;
    await sampler;
    expect(await nodeNames()).toHaveLength(2);
    // The Node went first: a moment with 2 Nodes and 3 instances, never 3 Nodes with 2 instances.
    expect(samples.some((s) => s.nodes === 2 && s.instances === 3)).toBe(true);
    expect(samples.some((s) => s.nodes === 3 && s.instances === 2)).toBe(false);
    const events = await cp.kubectlOk([
      "get",
      "events",
      "-n",
      NAMESPACE,
      "--field-selector",
      "reason=NodeRemoved",
      "-o",
      "name",
    ]);
    expect(events.split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("reports an unreachable workload API on the Cluster while another cluster still reconciles", async () => {
    const address = (workload as TestControlPlane).controlPlane.url;
    await (workload as TestControlPlane).stop();
    workload = undefined;
    // A cheap second cluster: invalid (no Terraform), so its verdict comes from a pass of its own.
    await cp.kubectlOk(
      ["apply", "-f", "-"],
      `${awsClusterYaml({ name: "epsilon", namespace: NAMESPACE, net: "10.8" })}---\n${awsMachineYaml({ name: "epsilon-m1", namespace: NAMESPACE, cluster: "epsilon", spec: "instanceType: 42" })}`,
    );
    const cluster = await eventually(
      async () => {
        const c = await objects().cluster(CLUSTER);
        return conditionOf(c, "WorkloadAPIReachable")?.status === "False" ? c : undefined;
      },
      "WorkloadAPIReachable=False on the Cluster",
      120_000,
    );
    const reachable = conditionOf(cluster, "WorkloadAPIReachable");
    expect(reachable?.reason).toBe("WorkloadAPIUnreachable");
    expect(reachable?.message).toContain(address);
    await eventually(
      async () => conditionOf(await objects().cluster("epsilon"), "Ready")?.reason === "InvalidConfiguration",
      "the other cluster's verdict",
      60_000,
    );
    // The Machines keep their nodeRefs; their Node health is unknown while the API is away.
    for (const machine of await machines()) {
      expect(machine.status?.nodeRef).toBeDefined();
      expect(conditionOf(machine, "NodeHealthy")?.status).toBe("Unknown");
    }
  });
});
