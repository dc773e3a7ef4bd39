import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { awsClusterYaml, awsMachineYaml } from "../helpers/aws-manifests.js";
import { eventually, startTestControlPlane, type TestControlPlane } from "../helpers/control-plane.js";
import { type ControllerHarness, startControllers } from "../helpers/controllers.js";
import { clusterInstances } from "../helpers/e2e-controllers.js";

// The cluster reconciler end to end: real kubectl against the embedded control
// plane, real terraform with the AWS provider from the mirror, the moto
// emulator. One control plane for the file; three applies in all (create,
// change across a controller restart, destroy) since each costs ~10 s of CPU.
const endpoint = inject("awsEndpoint");
const mirror = inject("providerMirror");
const NAMESPACE = "cluster-e2e";
const GOOD = "alpha";
const BAD = "beta";

let cp: TestControlPlane;
let stateDir: string;
let manager: ControllerHarness | undefined;
/** Terraform processes started, by operation: the cost the reconciler must keep down. */
const terraformRuns: Record<string, number> = {};
/** Terraform processes that ended in failure (the cancelled one when the controller stops mid-run). */
let interrupted = 0;

/** The controller on the file's state directory: a restarted one finds its predecessor's work. */
const startController = () =>
  startControllers({
    cp,
    namespace: NAMESPACE,
    endpoint,
    providerMirror: mirror,
    cluster: { maxConcurrentRuns: 2 },
    converge: {
      stateDir,
      onEvent: (_cluster, event) => {
        if (event.type === "run_start")
          terraformRuns[event.operation] = (terraformRuns[event.operation] ?? 0) + 1;
        if (event.type === "run_end" && event.exitCode !== 0 && event.exitCode !== 2) interrupted++;
      },
    },
  });

const clusterYaml = (name: string) => awsClusterYaml({ name, namespace: NAMESPACE, net: "10.0" });
const machineYaml = (cluster: string, name: string, spec?: string) =>
  awsMachineYaml({ name, namespace: NAMESPACE, cluster, ...(spec ? { spec } : {}) });

interface MachineJson {
  metadata: { name: string };
  spec: { providerID?: string };
  status?: {
    conditions?: { type: string; status: string }[];
    providerID?: string;
    phase?: string;
    errorReason?: string;
    errorMessage?: string;
    addresses?: { type: string; address: string }[];
  };
}

async function machinesOf(cluster: string): Promise<MachineJson[]> {
  const out = await cp.kubectlOk([
    "get",
    "machines",
    "-n",
    NAMESPACE,
    "-l",
    `cluster.k8s.io/cluster-name=${cluster}`,
    "-o",
    "json",
  ]);
  return (JSON.parse(out) as { items: MachineJson[] }).items;
}

/** Waits (polling; kubectl runs are capped at 60 s by the helper) until the named Machines are Ready, then proves `kubectl wait` agrees. */
async function waitReady(names: string[]): Promise<void> {
  await eventually(
    async () => {
      const machines = await machinesOf(GOOD);
      return names.every((name) =>
        machines.some(
          (m) =>
            m.metadata.name === name &&
            m.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
        ),
      );
    },
    `Ready machines ${names.join(", ")}`,
    300_000,
  );
  await cp.kubectlOk([
    "wait",
    "--for=condition=Ready",
    ...names.map((n) => `machine/${n}`),
    "-n",
    NAMESPACE,
    "--timeout=30s",
  ]);
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "cf-cluster-e2e-"));
  cp = await startTestControlPlane();
  await cp.kubectlOk(["create", "namespace", NAMESPACE]);
  manager = await startController();
});

afterAll(async () => {
  await manager?.stop();
  await cp?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe("cluster reconciler", () => {
  it("converges applied Machines to Ready instances, while an invalid cluster gets status errors and no Terraform", async () => {
    const manifests = [
      clusterYaml(GOOD),
      machineYaml(GOOD, `${GOOD}-cp`),
      machineYaml(GOOD, `${GOOD}-w1`),
      clusterYaml(BAD),
      machineYaml(BAD, `${BAD}-m1`, "instanceType: 42"),
    ].join("---\n");
    await cp.kubectlOk(["apply", "-f", "-"], manifests);

    const bad = await eventually(
      async () => {
        const [machine] = await machinesOf(BAD);
        return machine?.status?.errorReason ? machine : undefined;
      },
      "the invalid Machine's status error",
      60_000,
    );
    expect(bad?.status?.errorReason).toBe("InvalidConfiguration");
    expect(bad?.status?.errorMessage).toMatch(/instanceType/);
    await cp.kubectlOk([
      "wait",
      "--for=condition=Ready=false",
      `cluster/${BAD}`,
      "-n",
      NAMESPACE,
      "--timeout=30s",
    ]);
    const events = await cp.kubectlOk([
      "get",
      "events",
      "-n",
      NAMESPACE,
      "--field-selector",
      `involvedObject.name=${BAD}`,
      "-o",
      "json",
    ]);
    expect(events).toContain("InvalidConfiguration");

    await waitReady([`${GOOD}-cp`, `${GOOD}-w1`]);
    // No Terraform ever ran for the invalid cluster: it has no working directory.
    await expect(access(join(stateDir, NAMESPACE, BAD))).rejects.toThrow();

    const instances = await clusterInstances(NAMESPACE, GOOD);
    expect(instances).toHaveLength(2);
    const machines = await machinesOf(GOOD);
    for (const machine of machines) {
      const instance = instances.find(
        (i) => i.tags["clusterform.io/machine"] === `${NAMESPACE}/${machine.metadata.name}`,
      );
      expect(instance, `instance of ${machine.metadata.name}`).toBeDefined();
      expect(machine.status?.providerID).toBe(`aws:////${instance?.instanceId}`);
      expect(machine.spec.providerID).toBe(machine.status?.providerID);
      expect(machine.status?.phase).toBe("Running");
      expect(machine.status?.addresses).toContainEqual({ type: "InternalIP", address: instance?.privateIp });
    }
    await cp.kubectlOk([
      "wait",
      "--for=condition=Ready",
      `cluster/${GOOD}`,
      "-n",
      NAMESPACE,
      "--timeout=60s",
    ]);
    const plan = await cp.kubectlOk([
      "get",
      "cluster",
      GOOD,
      "-n",
      NAMESPACE,
      "-o",
      "jsonpath={.status.plan.state} {.status.plan.add}",
    ]);
    expect(plan).toMatch(/^Applied \d+$/);
    const clusterEvents = await cp.kubectlOk([
      "get",
      "events",
      "-n",
      NAMESPACE,
      "--field-selector",
      `involvedObject.name=${GOOD}`,
      "-o",
      "jsonpath={.items[*].reason}",
    ]);
    for (const reason of ["PlanFinished", "ApplyStarted", "ApplyFinished"]) {
      expect(clusterEvents).toContain(reason);
    }
    const machineEvents = await cp.kubectlOk([
      "get",
      "events",
      "-n",
      NAMESPACE,
      "--field-selector",
      `involvedObject.name=${GOOD}-cp`,
      "-o",
      "jsonpath={.items[*].reason}",
    ]);
    expect(machineEvents).toContain("InstanceCreated");
    // A new cluster under auto destroys nothing: one run planned and applied it (no separate plan);
    // the status writes and finalizer updates that followed ran no Terraform.
    expect(terraformRuns).toMatchObject({ apply: 1 });
    expect(terraformRuns.plan).toBeUndefined();
  });

  it("stopped in the middle of a Terraform run, a new controller resumes without duplicating instances", async () => {
    const before = await machinesOf(GOOD);
    const cpProviderID = before.find((m) => m.metadata.name === `${GOOD}-cp`)?.status?.providerID;

    // One Machine more, one deleted; the controller is stopped once Terraform is under way.
    await cp.kubectlOk(["apply", "-f", "-"], machineYaml(GOOD, `${GOOD}-w2`));
    await cp.kubectlOk(["delete", "machine", `${GOOD}-w1`, "-n", NAMESPACE, "--wait=false"]);
    await eventually(
      async () =>
        (await machinesOf(GOOD)).some(
          (m) => m.metadata.name === `${GOOD}-w2` && m.status?.phase === "Provisioning",
        ),
      "w2 Provisioning",
      120_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await manager?.stop();
    manager = undefined;
    const plansAtRestart = terraformRuns.plan ?? 0;
    const appliesAtRestart = terraformRuns.apply ?? 0;
    manager = await startController();

    await waitReady([`${GOOD}-cp`, `${GOOD}-w2`]);
    await eventually(
      async () => !(await machinesOf(GOOD)).some((m) => m.metadata.name === `${GOOD}-w1`),
      "w1 gone",
      300_000,
    );
    await cp.kubectlOk(["wait", "--for=delete", `machine/${GOOD}-w1`, "-n", NAMESPACE, "--timeout=30s"]);
    const instances = await clusterInstances(NAMESPACE, GOOD);
    expect(instances.map((i) => i.tags["clusterform.io/machine"]).sort()).toEqual([
      `${NAMESPACE}/${GOOD}-cp`,
      `${NAMESPACE}/${GOOD}-w2`,
    ]);
    const after = await machinesOf(GOOD);
    expect(after.find((m) => m.metadata.name === `${GOOD}-cp`)?.status?.providerID).toBe(cpProviderID);
    // The stop interrupted a running Terraform (its exit may come after the new controller started).
    expect(interrupted, "Terraform processes ended by the stop").toBeGreaterThanOrEqual(1);
    // The new controller needed one apply for everything that changed: after a plan, or in one run
    // when the interrupted apply had already destroyed w1's instance (nothing left to destroy).
    expect((terraformRuns.apply ?? 0) - appliesAtRestart).toBe(1);
    expect((terraformRuns.plan ?? 0) - plansAtRestart).toBeLessThanOrEqual(1);
  });

  it("deleting the Cluster destroys every instance first, then the Cluster and its Machines go", async () => {
    const plansBefore = terraformRuns.plan ?? 0;
    await cp.kubectlOk(["delete", "cluster", GOOD, "-n", NAMESPACE, "--wait=false"]);
    await eventually(
      async () => (await cp.kubectl(["get", "cluster", GOOD, "-n", NAMESPACE])).exitCode !== 0,
      "cluster gone",
      300_000,
    );
    expect(await clusterInstances(NAMESPACE, GOOD)).toEqual([]);
    // Its Machines went with it (Cluster API deletes a cluster's descendants).
    expect(await machinesOf(GOOD)).toEqual([]);
    expect((terraformRuns.plan ?? 0) - plansBefore).toBe(1);
  });
});
