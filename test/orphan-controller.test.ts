import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createSubnet, createVpc, liveInstances } from "../src/sandbox/ec2.js";
import { awsClusterYaml, awsMachineYaml, TEST_AMI } from "./helpers/aws-manifests.js";
import { eventually, startTestControlPlane, type TestControlPlane } from "./helpers/control-plane.js";
import { type ControllerHarness, startControllers } from "./helpers/controllers.js";

// clusterform.io/on-delete: orphan under the controller: deleting such a
// Machine, and later its whole Cluster, leaves its instance running while the
// other instances go. The network is the user's own (bring-your-own VPC), as
// it is when instances must outlive the stack.
const endpoint = inject("awsEndpoint");
const mirror = inject("providerMirror");
const NS = "orphans";
const CLUSTER = "keeper";

let cp: TestControlPlane;
let controllers: ControllerHarness | undefined;
let subnetId: string;

const clusterYaml = (vpcId: string) =>
  awsClusterYaml({ name: CLUSTER, namespace: NS, network: { vpcId, subnetId } });
const orphan = { "clusterform.io/on-delete": "orphan" };
const machine = (name: string, annotations?: Record<string, string>) =>
  awsMachineYaml({ name, namespace: NS, cluster: CLUSTER, ...(annotations ? { annotations } : {}) });
// Scaled to zero (no MachineSet controller runs here) and owned by nothing, so only the cluster
// controller can delete it: deleting the Cluster does, as Cluster API deletes a cluster's
// descendants. The e2e suite's use of the controller's `machinedeployments delete` grant.
const IDLE_DEPLOYMENT = "idle";
const idleDeployment = `apiVersion: cluster.k8s.io/v1alpha1
kind: MachineDeployment
metadata:
  name: ${IDLE_DEPLOYMENT}
  namespace: ${NS}
  labels: {cluster.k8s.io/cluster-name: ${CLUSTER}}
spec:
  replicas: 0
  selector:
    matchLabels: {cluster.k8s.io/cluster-name: ${CLUSTER}, pool: idle}
  template:
    metadata:
      labels: {cluster.k8s.io/cluster-name: ${CLUSTER}, pool: idle}
    spec:
      providerSpec:
        value: {apiVersion: awsprovider/v1alpha1, kind: AWSMachineProviderSpec, ami: {id: ${TEST_AMI}}, instanceType: t3.micro}
`;

interface MachineJson {
  metadata: { name: string };
  status?: { providerStatus?: { instanceID?: string } };
}

const machines = async (): Promise<MachineJson[]> =>
  (JSON.parse(await cp.kubectlOk(["get", "machines", "-n", NS, "-o", "json"])) as { items: MachineJson[] })
    .items;
const running = async () =>
  (await liveInstances(endpoint, { "subnet-id": subnetId })).map((i) => i.instanceId);
const orphanedEvents = async (name: string) =>
  (
    await cp.kubectlOk([
      "get",
      "events",
      "-n",
      NS,
      "--field-selector",
      `involvedObject.name=${name},reason=InstanceOrphaned`,
      "-o",
      "name",
    ])
  ).trim();

beforeAll(async () => {
  const vpcId = await createVpc(endpoint, "10.70.0.0/16");
  subnetId = await createSubnet(endpoint, {
    vpcId,
    cidrBlock: "10.70.1.0/24",
    availabilityZone: "us-east-1a",
  });
  cp = await startTestControlPlane();
  await cp.kubectlOk(["create", "namespace", NS]);
  controllers = await startControllers({ cp, namespace: NS, endpoint, providerMirror: mirror });
  await cp.kubectlOk(
    ["apply", "-f", "-"],
    [
      clusterYaml(vpcId),
      machine("kept-1", orphan),
      machine("kept-2", orphan),
      machine("plain"),
      idleDeployment,
    ].join("---\n"),
  );
});

afterAll(async () => {
  await controllers?.stop();
  await cp?.stop();
});

describe("on-delete: orphan under the controller", () => {
  let ids: Record<string, string> = {};

  it("converges the three Machines", async () => {
    const converged = (await eventually(
      async () => {
        const all = await machines();
        return all.length === 3 && all.every((m) => m.status?.providerStatus?.instanceID) ? all : undefined;
      },
      "three Machines with instances",
      300_000,
    )) as MachineJson[];
    ids = Object.fromEntries(
      converged.map((m) => [m.metadata.name, m.status?.providerStatus?.instanceID ?? ""]),
    );
    expect((await running()).sort()).toEqual(Object.values(ids).sort());
  });

  it("deleting an orphan Machine forgets its instance: the object goes, the instance keeps running", async () => {
    const applies = controllers?.terraformRuns.apply ?? 0;
    await cp.kubectlOk(["delete", "machine", "kept-1", "-n", NS, "--wait=false"]);
    await eventually(
      async () => !(await machines()).some((m) => m.metadata.name === "kept-1"),
      "Machine kept-1 gone",
      240_000,
    );
    expect((await running()).sort()).toEqual(Object.values(ids).sort());
    expect(await orphanedEvents("kept-1")).not.toBe("");
    // One apply forgets it (a `removed` block); nothing is destroyed.
    expect(controllers?.terraformRuns.apply).toBe(applies + 1);
  });

  it("deleting the Cluster destroys the other instances, keeps the orphan's and deletes its MachineDeployment", async () => {
    await cp.kubectlOk(["delete", "cluster", CLUSTER, "-n", NS, "--wait=false"]);
    await eventually(
      async () => (await cp.kubectl(["get", "cluster", CLUSTER, "-n", NS])).exitCode !== 0,
      "Cluster gone",
      240_000,
    );
    expect((await running()).sort()).toEqual([ids["kept-1"], ids["kept-2"]].sort());
    expect(await orphanedEvents("kept-2")).not.toBe("");
    expect((await cp.kubectl(["get", "machinedeployment", IDLE_DEPLOYMENT, "-n", NS])).exitCode).not.toBe(0);
  });
});
