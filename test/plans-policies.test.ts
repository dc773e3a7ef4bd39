import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { describeInstances, describeVpcIds, liveInstances } from "../src/sandbox/ec2.js";
import { awsClusterYaml, awsMachineYaml } from "./helpers/aws-manifests.js";
import { type ClusterJson, conditionOf, objectsIn } from "./helpers/cluster-objects.js";
import { eventually, startTestControlPlane, type TestControlPlane } from "./helpers/control-plane.js";
import { type ControllerHarness, startControllers } from "./helpers/controllers.js";

// The auto-additive and plan-only apply policies end to end: real kubectl,
// the embedded control plane, terraform and the AWS emulator, one Cluster per
// policy. Terraform runs are few: auto-additive plans and applies three times
// (create, scale up, approved scale down); plan-only plans twice.
const endpoint = inject("awsEndpoint");
const mirror = inject("providerMirror");
const NS = "policies-e2e";

let cp: TestControlPlane;
let controllers: ControllerHarness | undefined;
let objects: ReturnType<typeof objectsIn>;

const clusterYaml = (name: string, net: string, policy: string) =>
  awsClusterYaml({ name, namespace: NS, net, annotations: { "clusterform.io/apply-policy": policy } });
const machineYaml = (cluster: string, name: string, instanceType = "t3.micro") =>
  awsMachineYaml({ name, namespace: NS, cluster, spec: `instanceType: ${instanceType}` });
const apply = (...yamls: string[]) => cp.kubectlOk(["apply", "-f", "-"], yamls.join("---\n"));
const approve = (cluster: string, id: string) =>
  cp.kubectlOk([
    "annotate",
    "cluster",
    cluster,
    "-n",
    NS,
    `clusterform.io/approve-plan=${id}`,
    "--overwrite",
  ]);

/** Running instances of a cluster, by Machine name. */
const running = async (cluster: string): Promise<Map<string, string>> => {
  const instances = await liveInstances(endpoint, { "tag:clusterform.io/cluster": `${NS}/${cluster}` });
  return new Map(
    instances
      .filter((i) => i.state === "running")
      .map((i) => [(i.tags["clusterform.io/machine"] ?? "").replace(`${NS}/`, ""), i.instanceId]),
  );
};

/** Waits for a held plan of `cluster` other than `previous`. */
const heldPlan = async (cluster: string, previous?: string): Promise<ClusterJson> =>
  eventually(
    async () => {
      const c = await objects.cluster(cluster);
      const plan = c?.status?.plan;
      return plan?.state === "Pending" && plan.id !== previous ? c : undefined;
    },
    `a held plan of ${cluster} other than ${previous}`,
    240_000,
  ) as Promise<ClusterJson>;

beforeAll(async () => {
  cp = await startTestControlPlane();
  await cp.kubectlOk(["create", "namespace", NS]);
  objects = objectsIn(cp, NS);
  controllers = await startControllers({ cp, namespace: NS, endpoint, providerMirror: mirror });
});

afterAll(async () => {
  await controllers?.stop();
  await cp?.stop();
});

describe("apply policy auto-additive", () => {
  const CLUSTER = "additive";

  it("applies creation and scale-up on its own and holds a scale-down until its plan is approved", async () => {
    await apply(clusterYaml(CLUSTER, "10.5", "auto-additive"), machineYaml(CLUSTER, "a1"));
    const created = await eventually(
      async () => {
        const c = await objects.cluster(CLUSTER);
        const a1 = await objects.machine("a1");
        return c?.status?.lastAppliedPlan && a1?.status?.phase === "Running" ? c : undefined;
      },
      "a1 Running after an apply nobody approved",
      240_000,
    );
    expect([...(await running(CLUSTER)).keys()]).toEqual(["a1"]);
    const firstApplied = created?.status?.lastAppliedPlan;

    // Scale up: only creates, so it is applied without approval.
    await apply(machineYaml(CLUSTER, "a2"));
    const scaledUp = await eventually(
      async () => {
        const instances = await running(CLUSTER);
        const a2 = await objects.machine("a2");
        return instances.size === 2 && a2?.status?.phase === "Running" ? instances : undefined;
      },
      "a2 Running after the scale-up",
      240_000,
    );
    const a2Instance = scaledUp?.get("a2") ?? "";
    expect(a2Instance).toMatch(/^i-/);
    const afterScaleUp = await objects.cluster(CLUSTER);
    expect(afterScaleUp?.status?.lastAppliedPlan).not.toBe(firstApplied);
    expect(afterScaleUp?.status?.plan?.state).toBe("Applied");

    // Scale down: a plan that destroys is held; the instance keeps running meanwhile.
    await cp.kubectlOk(["delete", "machine", "a2", "-n", NS, "--wait=false"]);
    const held = await heldPlan(CLUSTER);
    const heldId = held.status?.plan?.id ?? "";
    expect(held.status?.plan).toMatchObject({ state: "Pending", add: 0, destroy: 1 });
    expect(conditionOf(held, "PlanPending")).toMatchObject({ status: "True", reason: "AwaitingApproval" });
    expect(conditionOf(held, "PlanPending")?.message).toContain(`clusterform.io/approve-plan=${heldId}`);
    const heldEvents = await eventually(
      async () => (await objects.events(CLUSTER, "ApplyHeld")).find((m) => m.includes(heldId)),
      "an ApplyHeld Event for the scale-down",
      60_000,
    );
    expect(heldEvents).toContain("apply policy auto-additive holds plans that delete or replace");
    expect(heldEvents).toContain("aws_instance.machine_a2 (delete)");
    expect((await running(CLUSTER)).get("a2")).toBe(a2Instance);
    expect((await objects.machine("a2"))?.metadata.deletionTimestamp).toBeTruthy();

    await approve(CLUSTER, heldId);
    await eventually(
      async () => (await objects.machine("a2")) === undefined,
      "Machine a2 gone after the approved apply",
      240_000,
    );
    const [gone] = await describeInstances(endpoint, { "instance-id": a2Instance });
    expect(gone?.state).toMatch(/^(shutting-down|terminated)$/);
    expect([...(await running(CLUSTER)).keys()]).toEqual(["a1"]);
    const done = await objects.cluster(CLUSTER);
    expect(done?.status?.lastAppliedPlan).toBe(heldId);
    expect(conditionOf(done, "PlanPending")).toMatchObject({ status: "False", reason: "PlanApplied" });
  });
});

describe("apply policy plan-only", () => {
  const CLUSTER = "planonly";

  const planConfigMap = async () =>
    JSON.parse(await cp.kubectlOk(["get", "configmap", `${CLUSTER}-plan`, "-n", NS, "-o", "json"])) as {
      metadata: { annotations?: Record<string, string> };
      data?: Record<string, string>;
    };
  const nothingInEmulator = async () => {
    const tag = { "tag:clusterform.io/cluster": `${NS}/${CLUSTER}` };
    expect(await describeInstances(endpoint, tag)).toEqual([]);
    expect(await describeVpcIds(endpoint, tag)).toEqual([]);
  };

  it("keeps a current plan for review, never applies it, and ignores approvals", async () => {
    await apply(clusterYaml(CLUSTER, "10.6", "plan-only"), machineYaml(CLUSTER, "p1"));
    const first = await heldPlan(CLUSTER);
    const firstId = first.status?.plan?.id ?? "";
    expect(first.status?.plan?.add).toBeGreaterThan(1);
    expect(conditionOf(first, "PlanPending")).toMatchObject({ status: "True", reason: "PlanOnly" });
    const firstMap = await planConfigMap();
    expect(firstMap.metadata.annotations?.["clusterform.io/plan-id"]).toBe(firstId);
    expect(firstMap.data?.["plan.txt"]).toContain("aws_instance.machine_p1");
    await nothingInEmulator();

    // A spec change makes a new plan; the ConfigMap follows it.
    await apply(machineYaml(CLUSTER, "p2", "t3.small"));
    const second = await heldPlan(CLUSTER, firstId);
    const secondId = second.status?.plan?.id ?? "";
    const secondMap = await eventually(
      async () => {
        const map = await planConfigMap();
        return map.metadata.annotations?.["clusterform.io/plan-id"] === secondId ? map : undefined;
      },
      "the plan ConfigMap showing the new plan",
      60_000,
    );
    expect(secondMap?.data?.summary).toContain(secondId);
    expect(secondMap?.data?.["plan.txt"]).toContain("aws_instance.machine_p2");
    expect(secondMap?.data?.["plan.txt"]).toContain('"t3.small"');
    expect(conditionOf(second, "PlanPending")?.message).toContain("plan-only never applies");

    // Approving the current plan's id changes nothing but an Event; no Terraform runs for it.
    const runs = { ...controllers?.terraformRuns };
    await approve(CLUSTER, secondId);
    const ignored = await eventually(
      async () => (await objects.events(CLUSTER, "PlanApprovalIgnored")).find((m) => m.includes(secondId)),
      "a PlanApprovalIgnored Event",
      60_000,
    );
    expect(ignored).toContain("apply policy plan-only never applies");
    const after = await objects.cluster(CLUSTER);
    expect(after?.status?.plan).toMatchObject({ id: secondId, state: "Pending" });
    expect(after?.status?.lastAppliedPlan).toBeUndefined();
    expect(controllers?.terraformRuns).toEqual(runs);
    await nothingInEmulator();
  });
});
