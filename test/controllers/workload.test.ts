import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { liveInstances } from "../../src/sandbox/ec2.js";
import { awsClusterYaml, awsMachineYaml } from "../helpers/aws-manifests.js";
import { type ConditionJson, conditionOf, objectsIn } from "../helpers/cluster-objects.js";
import { eventually, startTestControlPlane, type TestControlPlane } from "../helpers/control-plane.js";
import { type ControllerHarness, capturingLogger, startControllers } from "../helpers/controllers.js";

// Reading the workload cluster (docs/workload.md). A second embedded control
// plane plays the workload API server, reached through
// --workload-kubeconfig-override; the test plays the kubelets by registering
// Nodes with the instances' providerIDs. One small cluster: a control-plane
// Machine and a MachineDeployment of two workers, bootstrapped (endpoint
// InitMachine: no load balancer) so that a Machine added after the init
// token's lifetime gets a token created in the workload cluster.
const endpoint = inject("awsEndpoint");
const mirror = inject("providerMirror");
const NAMESPACE = "workload-e2e";
const CLUSTER = "delta";
const DEPLOYMENT = "delta-workers";
const LATE = "delta-late-0";
const logLines: string[] = [];

let cp: TestControlPlane;
let workload: TestControlPlane | undefined;
let controllers: ControllerHarness | undefined;

/** A Machine of the cluster on the small class. */
function machineYaml(name: string, versions: string): string {
  return `apiVersion: cluster.k8s.io/v1alpha1
kind: Machine
metadata:
  name: ${name}
  namespace: ${NAMESPACE}
  labels: {cluster.k8s.io/cluster-name: ${CLUSTER}}
spec:
  providerSpec:
    valueFrom:
      machineClass: {name: delta-small}
  versions: ${versions}
`;
}

const MANIFESTS = `${awsClusterYaml({ name: CLUSTER, namespace: NAMESPACE, net: "10.7", bootstrap: true })}      controlPlaneEndpoint: {type: InitMachine}
---
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
${machineYaml("delta-cp-0", "{kubelet: 1.13.6, controlPlane: 1.13.6}")}---
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

const LATE_MACHINE = machineYaml(LATE, "{kubelet: 1.13.6}");

interface MachineJson {
  metadata: { name: string; uid: string; deletionTimestamp?: string };
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

/** The bootstrap-token Secrets in the workload cluster's kube-system, through real kubectl. */
async function workloadTokens(): Promise<
  {
    metadata: { name: string; labels?: Record<string, string> };
    type: string;
    data: Record<string, string>;
  }[]
> {
  const out = await (workload as TestControlPlane).kubectlOk([
    "get",
    "secrets",
    "-n",
    "kube-system",
    "--field-selector",
    "type=bootstrap.kubernetes.io/token",
    "-o",
    "json",
  ]);
  return JSON.parse(out).items;
}

const decode = (value: string | undefined) => Buffer.from(value ?? "", "base64").toString("utf8");

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
  // A real kube-apiserver makes kube-system itself; the embedded one makes only default.
  await workload.kubectlOk(["create", "namespace", "kube-system"]);
  await cp.kubectlOk(["create", "namespace", NAMESPACE]);
  controllers = await startControllers({
    cp,
    namespace: NAMESPACE,
    endpoint,
    providerMirror: mirror,
    machineSets: true,
    logger: capturingLogger(logLines),
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

    // The init token "expired" (as if the cluster had been planned a day ago) and a Machine is added
    // before the init machine's Node registered: it waits, with no instance and no token anywhere.
    const expired = Buffer.from("2020-01-01T00:00:00Z").toString("base64");
    await cp.kubectlOk([
      "patch",
      "secret",
      `${CLUSTER}-bootstrap-token`,
      "-n",
      NAMESPACE,
      "--type=merge",
      "-p",
      JSON.stringify({ data: { expiration: expired } }),
    ]);
    await cp.kubectlOk(["apply", "-f", "-"], LATE_MACHINE);
    const late = (await eventually(
      async () => {
        const m = (await machines()).find((x) => x.metadata.name === LATE);
        return conditionOf(m ?? {}, "Ready")?.reason === "WaitingForBootstrapToken" ? m : undefined;
      },
      "the late Machine waiting for a bootstrap token",
      120_000,
    )) as MachineJson;
    expect(late.status?.phase).toBe("Pending");
    expect(conditionOf(late, "Ready")?.message).toContain("ControlPlaneInitialized");
    const lateData = await cp.kubectl(["get", "secret", `${LATE}-bootstrap`, "-n", NAMESPACE]);
    expect(lateData.exitCode).not.toBe(0);
    expect(await workloadTokens()).toEqual([]);
    expect(await clusterInstances()).toHaveLength(3);

    const first = new Set(waiting.map((m) => m.metadata.name));
    for (const machine of waiting) await registerNode(machine.status?.providerID as string);
    await eventually(
      // The Node is registered first and reports Ready a moment later (as a kubelet does): both must show.
      async () =>
        (await machines())
          .filter((m) => first.has(m.metadata.name))
          .every(
            (m) =>
              m.status?.phase === "Running" &&
              m.status.nodeRef &&
              conditionOf(m, "NodeHealthy")?.status === "True",
          ),
      "every Machine Running with a nodeRef and a healthy Node",
      400_000,
    );
    for (const machine of (await machines()).filter((m) => first.has(m.metadata.name))) {
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

  it("gives the late Machine a token created in the workload cluster's kube-system, deleted once its Node registers", async () => {
    const late = (await machines()).find((m) => m.metadata.name === LATE) as MachineJson;
    // ControlPlaneInitialized is True now: its token exists in kube-system, in kubeadm's shape.
    const [token] = (await eventually(
      async () => {
        const tokens = await workloadTokens();
        return tokens.length > 0 ? tokens : undefined;
      },
      "a bootstrap token in the workload cluster",
      120_000,
    )) as Awaited<ReturnType<typeof workloadTokens>>;
    expect(token?.metadata.labels?.["clusterform.io/machine-uid"]).toBe(late.metadata.uid);
    const data = Object.fromEntries(Object.entries(token?.data ?? {}).map(([k, v]) => [k, decode(v)]));
    expect(token?.metadata.name).toBe(`bootstrap-token-${data["token-id"]}`);
    expect(data).toMatchObject({
      "usage-bootstrap-authentication": "true",
      "usage-bootstrap-signing": "true",
      "auth-extra-groups": "system:bootstrappers:kubeadm:default-node-token",
    });
    expect(data.description).toContain(`Machine ${NAMESPACE}/${LATE}`);
    expect(Date.parse(data.expiration ?? "") - Date.now()).toBeGreaterThan(60 * 60_000);
    const secret = data["token-secret"] as string;
    expect(secret).toMatch(/^[a-z0-9]{16}$/);
    // The Machine's bootstrap data joins with exactly that token.
    const bootstrap = await cp.kubectlOk([
      "get",
      "secret",
      `${LATE}-bootstrap`,
      "-n",
      NAMESPACE,
      "-o",
      "jsonpath={.data.value}",
    ]);
    expect(decode(bootstrap)).toContain(`${data["token-id"]}.${secret}`);
    const withInstance = (await eventually(
      async () => {
        const m = (await machines()).find((x) => x.metadata.name === LATE);
        return m?.status?.providerID && conditionOf(m, "NodeHealthy")?.reason === "NodeNotRegistered"
          ? m
          : undefined;
      },
      "the late Machine's instance running",
      400_000,
    )) as MachineJson;
    // The token's secret half is nowhere but in the two Secrets that must hold it.
    const shown = await Promise.all([
      cp.kubectlOk(["get", "events,machines,clusters,configmaps", "-n", NAMESPACE, "-o", "json"]),
      readFile(join((controllers as ControllerHarness).stateDir, NAMESPACE, CLUSTER, "cdk.tf.json"), "utf8"),
    ]);
    for (const text of [...shown, logLines.join("\n")]) expect(text).not.toContain(secret);

    await registerNode(withInstance.status?.providerID as string);
    await eventually(async () => (await workloadTokens()).length === 0, "the token deleted", 120_000);
    await eventually(
      async () => (await machines()).find((m) => m.metadata.name === LATE)?.status?.phase === "Running",
      "the late Machine Running",
      120_000,
    );
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
    await eventually(async () => (await clusterInstances()).length === 3, "3 instances left", 400_000);
    sampling = false;
    await sampler;
    expect(await nodeNames()).toHaveLength(3);
    // The Node went first: a moment with 3 Nodes and 4 instances, never 4 Nodes with 3 instances.
    expect(samples.some((s) => s.nodes === 3 && s.instances === 4)).toBe(true);
    expect(samples.some((s) => s.nodes === 4 && s.instances === 3)).toBe(false);
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
