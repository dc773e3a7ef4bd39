import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type KubernetesObject, Watch } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLUSTER_NAME_LABEL } from "../../src/api/meta.js";
import { collectionPath } from "../../src/controllers/runtime/resource.js";
import { MachineResource, MachineSetResource } from "../../src/controllers/shared/resources.js";
import { awsClusterYaml, TEST_AMI } from "../helpers/aws-manifests.js";
import { eventually, type TestControlPlane } from "../helpers/control-plane.js";
import { type ControllerHarness, capturingLogger } from "../helpers/controllers.js";
import {
  type ControlPlaneAndControllers,
  clusterInstances,
  startControlPlaneAndControllers,
} from "../helpers/e2e-controllers.js";

// Issue 14, "an instance nobody asked for": three clusters, each with a
// MachineDeployment, applied at once through all three controllers (two
// Terraform runs at a time, so plans, applies, status writes and Machine
// creation all overlap). Every running instance must belong to a Machine,
// and no Machine or MachineSet may be created beyond what the replicas ask
// for: the watch streams are counted, not just the final state.
const NAMESPACE = "instances-e2e";
const CLUSTERS = [
  { name: "load-a", net: "10.31", replicas: 3 },
  { name: "load-b", net: "10.32", replicas: 2 },
  { name: "load-c", net: "10.33", replicas: 2 },
] as const;

let env: ControlPlaneAndControllers | undefined;
let cp: TestControlPlane;
let controllers: ControllerHarness | undefined;
const stopWatches: (() => void)[] = [];
const logLines: string[] = [];

function manifests(cluster: (typeof CLUSTERS)[number]): string {
  return `${awsClusterYaml({ name: cluster.name, namespace: NAMESPACE, net: cluster.net })}---
apiVersion: cluster.k8s.io/v1alpha1
kind: MachineClass
metadata: {name: ${cluster.name}-small, namespace: ${NAMESPACE}}
providerSpec:
  value: {apiVersion: awsprovider/v1alpha1, kind: AWSMachineProviderSpec, ami: {id: ${TEST_AMI}}, instanceType: t3.micro}
---
apiVersion: cluster.k8s.io/v1alpha1
kind: MachineDeployment
metadata:
  name: ${cluster.name}-workers
  namespace: ${NAMESPACE}
  labels: {${CLUSTER_NAME_LABEL}: ${cluster.name}}
spec:
  replicas: ${cluster.replicas}
  selector:
    matchLabels: {${CLUSTER_NAME_LABEL}: ${cluster.name}, pool: workers}
  template:
    metadata:
      labels: {${CLUSTER_NAME_LABEL}: ${cluster.name}, pool: workers}
    spec:
      providerSpec: {valueFrom: {machineClass: {name: ${cluster.name}-small}}}
      versions: {kubelet: 1.13.6}
`;
}

/** Every object of the kind the API server announced as ADDED, by uid (a watch sees short-lived ones too). */
async function recordCreations(plural: string, created: Map<string, KubernetesObject>): Promise<void> {
  const resource = plural === "machines" ? MachineResource : MachineSetResource;
  const request = await new Watch(cp.kubeConfig).watch(
    collectionPath(resource, NAMESPACE),
    {},
    (type: string, object: KubernetesObject) => {
      if (type === "ADDED" && object.metadata?.uid) created.set(object.metadata.uid, object);
    },
    () => {},
  );
  stopWatches.push(() => request.abort());
}

interface MachineJson {
  metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
  status?: { providerID?: string; conditions?: { type: string; status: string }[] };
}

async function machinesOf(cluster: string): Promise<MachineJson[]> {
  const out = await cp.kubectlOk([
    "get",
    "machines",
    "-n",
    NAMESPACE,
    "-l",
    `${CLUSTER_NAME_LABEL}=${cluster}`,
    "-o",
    "json",
  ]);
  return (JSON.parse(out) as { items: MachineJson[] }).items;
}

const isReady = (m: MachineJson) =>
  m.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

/** The instance ids the cluster's Terraform state holds (for the failure message: tracked or leaked?). */
async function instancesInState(cluster: string): Promise<string[]> {
  const file = join(controllers?.stateDir ?? "", NAMESPACE, cluster, "terraform.tfstate");
  const state = JSON.parse(await readFile(file, "utf8").catch(() => "{}")) as {
    resources?: { type: string; instances: { attributes?: { id?: string } }[] }[];
  };
  return (state.resources ?? [])
    .filter((r) => r.type === "aws_instance")
    .flatMap((r) => r.instances.map((i) => i.attributes?.id ?? ""));
}

const ofCluster = (objects: Map<string, KubernetesObject>, cluster: string) =>
  [...objects.values()].filter((o) => o.metadata?.labels?.[CLUSTER_NAME_LABEL] === cluster);

beforeAll(async () => {
  env = await startControlPlaneAndControllers(NAMESPACE, {
    machineSets: true,
    cluster: { maxConcurrentRuns: 2 },
    logger: capturingLogger(logLines),
  });
  ({ cp, controllers } = env);
});

afterAll(async () => {
  for (const stop of stopWatches) stop();
  await env?.stop();
});

describe("several clusters converged at once", () => {
  it("creates exactly one instance per Machine and no Machine or MachineSet beyond the replicas", async () => {
    const machinesCreated = new Map<string, KubernetesObject>();
    const setsCreated = new Map<string, KubernetesObject>();
    await recordCreations("machines", machinesCreated);
    await recordCreations("machinesets", setsCreated);

    const started = Date.now();
    await Promise.all(CLUSTERS.map((c) => cp.kubectlOk(["apply", "-f", "-"], manifests(c))));
    await eventually(
      async () => {
        for (const cluster of CLUSTERS) {
          const machines = await machinesOf(cluster.name);
          if (machines.length !== cluster.replicas || !machines.every(isReady)) return false;
        }
        return true;
      },
      "every cluster's Machines Ready",
      // ~2 min on an idle 2-core machine; several times that when other e2e files share the cores.
      480_000,
    ).catch(async (error: Error) => {
      const phases = await Promise.all(
        CLUSTERS.map(async (c) =>
          (await machinesOf(c.name)).map((m) => `${m.metadata.name}=${isReady(m)}`).join(" "),
        ),
      );
      throw new Error(
        `${error.message}; machines: ${phases.join("; ")}; log:\n${logLines
          .filter((l) => !l.startsWith("debug"))
          .slice(-40)
          .join("\n")}`,
      );
    });

    console.info(
      `converged in ${Math.round((Date.now() - started) / 1000)} s; terraform runs ${JSON.stringify(controllers?.terraformRuns)}`,
    );
    for (const cluster of CLUSTERS) {
      const machines = await machinesOf(cluster.name);
      const instances = await clusterInstances(NAMESPACE, cluster.name);
      const why = `${cluster.name}: instances ${instances.map((i) => i.instanceId).join(", ")}; in the Terraform state ${(await instancesInState(cluster.name)).join(", ")}; Machines created ${ofCluster(machinesCreated, cluster.name).map((m) => m.metadata?.name)}`;
      expect(instances.map((i) => `aws:////${i.instanceId}`).sort(), why).toEqual(
        machines.map((m) => m.status?.providerID).sort(),
      );
      expect(ofCluster(setsCreated, cluster.name), `${cluster.name}: MachineSets created`).toHaveLength(1);
      expect(ofCluster(machinesCreated, cluster.name).length, why).toBe(cluster.replicas);
    }
  });
});
