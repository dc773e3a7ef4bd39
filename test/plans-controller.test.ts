import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { KubeClusterStore } from "../src/controllers/cluster/kube-store.js";
import { ApiClient } from "../src/controllers/runtime/api-client.js";
import { CONTROLLER_USER_AGENT, withUserAgent } from "../src/controllers/runtime/user-agent.js";
import { EventRecorder } from "../src/controllers/shared/events.js";
import { PLAN_OF_LABEL, planConfigMaps } from "../src/plans/plan-configmap.js";
import { describeInstances } from "../src/sandbox/ec2.js";
import { Redactor } from "../src/terraform/redact.js";
import { awsClusterYaml, awsMachineYaml } from "./helpers/aws-manifests.js";
import { objectsIn } from "./helpers/cluster-objects.js";
import { eventually, startTestControlPlane, type TestControlPlane } from "./helpers/control-plane.js";
import { type ControllerHarness, startControllers } from "./helpers/controllers.js";

// Plan review end to end under the manual policy: real kubectl, the embedded
// control plane, terraform and the AWS emulator. Terraform runs are few (two
// plans, each shown once for the ConfigMap, and one apply): each costs seconds.
const endpoint = inject("awsEndpoint");
const mirror = inject("providerMirror");
const NS = "plans-e2e";
const CLUSTER = "held";

let cp: TestControlPlane;
let controllers: ControllerHarness | undefined;

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface ClusterJson {
  metadata: { annotations?: Record<string, string> };
  status?: {
    plan?: { id: string; add: number; change: number; destroy: number; replace: number; state: string };
    lastAppliedPlan?: string;
    conditions?: Condition[];
  };
}
interface MachineJson {
  metadata: { name: string };
  status?: { phase?: string; conditions?: Condition[] };
}

const clusterYaml = awsClusterYaml({
  name: CLUSTER,
  namespace: NS,
  net: "10.1",
  annotations: { "clusterform.io/apply-policy": "manual" },
});
const machineYaml = (name: string) => awsMachineYaml({ name, namespace: NS, cluster: CLUSTER });

const getCluster = async (): Promise<ClusterJson> =>
  JSON.parse(await cp.kubectlOk(["get", "cluster", CLUSTER, "-n", NS, "-o", "json"])) as ClusterJson;
const condition = (c: { status?: { conditions?: Condition[] } } | undefined, type: string) =>
  c?.status?.conditions?.find((x) => x.type === type);
const liveInstances = async () =>
  (await describeInstances(endpoint, { "tag:clusterform.io/cluster": `${NS}/${CLUSTER}` })).filter(
    (i) => i.state !== "terminated" && i.state !== "shutting-down",
  );
const eventsOf = (reason: string) => objectsIn(cp, NS).events(CLUSTER, reason);
/** Waits for a held plan other than `previous`. */
const heldPlan = async (previous?: string): Promise<ClusterJson> =>
  (await eventually(
    async () => {
      const cluster = await getCluster();
      const plan = cluster.status?.plan;
      return plan?.state === "Pending" && plan.id !== previous ? cluster : undefined;
    },
    `a held plan other than ${previous}`,
    240_000,
  )) as ClusterJson;

beforeAll(async () => {
  cp = await startTestControlPlane();
  await cp.kubectlOk(["create", "namespace", NS]);
  controllers = await startControllers({ cp, namespace: NS, endpoint, providerMirror: mirror });
});

afterAll(async () => {
  await controllers?.stop();
  await cp?.stop();
});

describe("apply policy manual", () => {
  it("holds the plan, ignores a stale approval, and applies exactly the approved plan", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], [clusterYaml, machineYaml("m1")].join("---\n"));
    const first = await heldPlan();
    const firstId = first.status?.plan?.id ?? "";
    expect(first.status?.plan).toMatchObject({ state: "Pending", destroy: 0, replace: 0 });
    expect(first.status?.plan?.add).toBeGreaterThan(1);
    expect(condition(first, "PlanPending")).toMatchObject({ status: "True", reason: "AwaitingApproval" });
    expect(condition(first, "PlanPending")?.message).toContain(
      `kubectl annotate cluster ${CLUSTER} -n ${NS} clusterform.io/approve-plan=${firstId} --overwrite`,
    );
    const text = await cp.kubectlOk([
      "get",
      "configmap",
      `${CLUSTER}-plan`,
      "-n",
      NS,
      "-o",
      "jsonpath={.data.plan\\.txt}",
    ]);
    expect(text).toContain("aws_instance.");
    expect(text).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
    expect(await liveInstances()).toEqual([]);
    const [m1] = (
      JSON.parse(await cp.kubectlOk(["get", "machines", "-n", NS, "-o", "json"])) as { items: MachineJson[] }
    ).items;
    expect(m1?.status?.phase).toBe("Pending");
    expect(condition(m1 ?? { metadata: { name: "" } }, "Ready")).toMatchObject({
      status: "False",
      reason: "PlanPending",
    });

    // A second change before approval: a new plan with a new id; the old id then approves nothing.
    await cp.kubectlOk(["apply", "-f", "-"], machineYaml("m2"));
    const second = await heldPlan(firstId);
    const secondId = second.status?.plan?.id ?? "";
    await cp.kubectlOk(["annotate", "cluster", CLUSTER, "-n", NS, `clusterform.io/approve-plan=${firstId}`]);
    await eventually(
      async () => (await eventsOf("PlanApprovalIgnored")).length > 0,
      "an ignored-approval Event",
      60_000,
    );
    expect((await eventsOf("PlanApprovalIgnored"))[0]).toContain(
      `approval of plan ${firstId} ignored: the pending plan of ${NS}/${CLUSTER} is ${secondId}`,
    );
    expect(await liveInstances()).toEqual([]);
    expect((await getCluster()).status?.plan?.id).toBe(secondId);

    const applies = controllers?.terraformRuns.apply ?? 0;
    const plans = controllers?.terraformRuns.plan ?? 0;
    await cp.kubectlOk([
      "annotate",
      "cluster",
      CLUSTER,
      "-n",
      NS,
      `clusterform.io/approve-plan=${secondId}`,
      "--overwrite",
    ]);
    const applied = (await eventually(
      async () => {
        const cluster = await getCluster();
        return cluster.status?.plan?.state === "Applied" ? cluster : undefined;
      },
      "the approved plan applied",
      300_000,
    )) as ClusterJson;
    expect(applied.status?.lastAppliedPlan).toBe(secondId);
    expect(applied.status?.plan?.id).toBe(secondId);
    expect(condition(applied, "PlanPending")).toMatchObject({ status: "False", reason: "PlanApplied" });
    // Exactly the reviewed plan: one apply of the kept file, no new plan before it.
    expect(controllers?.terraformRuns.apply).toBe(applies + 1);
    expect(controllers?.terraformRuns.plan).toBe(plans);
    const instances = await liveInstances();
    expect(instances.map((i) => i.tags["clusterform.io/machine"]).sort()).toEqual([`${NS}/m1`, `${NS}/m2`]);
  });
});

describe("the plan ConfigMaps in the API server", () => {
  it("a shorter plan's write deletes the parts a longer plan left", async () => {
    // A namespace no controller watches; the controller's own store and User-Agent, so these are the
    // requests the shipped RBAC must allow (the suite's use of `configmaps delete`: a real plan would
    // need hundreds of resources to outgrow one part).
    const ns = "plans-parts";
    await cp.kubectlOk(["create", "namespace", ns]);
    await cp.kubectlOk(["apply", "-f", "-"], awsClusterYaml({ name: "parts", namespace: ns, net: "10.2" }));
    const client = new ApiClient(withUserAgent(cp.kubeConfig, CONTROLLER_USER_AGENT));
    const store = new KubeClusterStore(client, new EventRecorder(client, "plans-parts"));
    try {
      const cluster = await store.getCluster(ns, "parts");
      if (!cluster) throw new Error("Cluster parts was not created");
      const plan = (id: string, text: string) =>
        planConfigMaps({
          cluster: { name: "parts", namespace: ns, uid: cluster.metadata.uid ?? "" },
          id,
          summary: `Plan ${id}`,
          text,
          redactor: new Redactor(),
          maxPartBytes: 1024,
        });
      const names = async () =>
        (await cp.kubectlOk(["get", "configmap", "-n", ns, "-l", `${PLAN_OF_LABEL}=parts`, "-o", "name"]))
          .trim()
          .split("\n")
          .sort();
      await store.writePlanConfigMaps(cluster, plan("long", "  + resource\n".repeat(300)));
      expect(await names()).toEqual([
        "configmap/parts-plan",
        "configmap/parts-plan-001",
        "configmap/parts-plan-002",
        "configmap/parts-plan-003",
      ]);
      await store.writePlanConfigMaps(cluster, plan("short", "  + resource\n"));
      expect(await names()).toEqual(["configmap/parts-plan"]);
    } finally {
      client.close();
    }
  });
});
