import { createHash } from "node:crypto";
import { cp as copyDir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createBucket, getObject } from "../src/sandbox/s3.js";
import { awsClusterYaml, awsMachineYaml } from "./helpers/aws-manifests.js";
import { objectsIn } from "./helpers/cluster-objects.js";
import { eventually, type TestControlPlane } from "./helpers/control-plane.js";
import type { ControllerHarness } from "./helpers/controllers.js";
import {
  type ControlPlaneAndControllers,
  clusterInstances,
  startControlPlaneAndControllers,
} from "./helpers/e2e-controllers.js";
import { pipelineTerraform } from "./helpers/pipeline.js";

// A pipeline applies what clusterform plans: the controller (plan-only, s3
// backend in the emulator's S3, --export-dir) publishes the configuration and
// never applies; the test plays the pipeline with plain terraform in a copy of
// the export; the controller notices the shared state moved (re-checked every
// drift interval, 5s here) and writes the Machines' statuses from that state.
const endpoint = inject("awsEndpoint");
const mirror = inject("providerMirror");
const terraformBin = inject("terraformBin");
const NS = "pipeline-e2e";
const CLUSTER = "piped";
const BUCKET = "clusterform-pipeline-e2e";
const STATE_KEY = `clusterform/${NS}/${CLUSTER}/terraform.tfstate`;
const MACHINES = ["m1", "m2"];

let env: ControlPlaneAndControllers | undefined;
let cp: TestControlPlane;
let controllers: ControllerHarness | undefined;
let work: string;
/** CPU of each `terraform state pull` the controller ran (ms), for docs/terraform.md. */
const pullCpuMs: number[] = [];

interface Condition {
  type: string;
  status: string;
  reason?: string;
}
interface PlanStatus {
  id: string;
  add: number;
  state: string;
  appliedBy?: string;
}
interface ClusterJson {
  status?: { plan?: PlanStatus; lastAppliedPlan?: string; conditions?: Condition[] };
}
interface MachineJson {
  metadata: { name: string };
  spec?: { providerID?: string };
  status?: { providerID?: string; addresses?: { type: string; address: string }[]; conditions?: Condition[] };
}

const manifests = [
  awsClusterYaml({
    name: CLUSTER,
    namespace: NS,
    net: "10.6",
    annotations: {
      "clusterform.io/apply-policy": "plan-only",
      "clusterform.io/drift-interval": "5s",
      "clusterform.io/backend": "s3",
      "clusterform.io/backend-bucket": BUCKET,
      "clusterform.io/backend-endpoint": endpoint,
    },
  }),
  ...MACHINES.map((name) => awsMachineYaml({ name, namespace: NS, cluster: CLUSTER })),
].join("---\n");

const getCluster = async (): Promise<ClusterJson> =>
  JSON.parse(await cp.kubectlOk(["get", "cluster", CLUSTER, "-n", NS, "-o", "json"])) as ClusterJson;
const getMachines = async (): Promise<MachineJson[]> =>
  (JSON.parse(await cp.kubectlOk(["get", "machines", "-n", NS, "-o", "json"])) as { items: MachineJson[] })
    .items;
const condition = (o: { status?: { conditions?: Condition[] } } | undefined, type: string) =>
  o?.status?.conditions?.find((c) => c.type === type);
const eventsOf = (reason: string) => objectsIn(cp, NS).events(CLUSTER, reason);
/** How long each step may take under load (Terraform runs; `eventually` backs off to a poll a second). */
const STEP_MS = 240_000;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "clusterform-pipeline-"));
  await createBucket(endpoint, BUCKET);
  env = await startControlPlaneAndControllers(NS, {
    cluster: { exportDir: join(work, "export") },
    converge: {
      onEvent: (_cluster, event) => {
        if (event.type === "run_end" && event.operation === "state" && event.cpuMs !== undefined)
          pullCpuMs.push(event.cpuMs);
      },
    },
  });
  ({ cp, controllers } = env);
});

afterAll(async () => {
  await env?.stop();
  await rm(work, { recursive: true, force: true });
});

describe("plan-only with an s3 backend and --export-dir", () => {
  it("publishes the plan, a pipeline applies it, and the Machines go Ready from the shared state", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], manifests);
    const held = (await eventually(
      async () => {
        const cluster = await getCluster();
        return cluster.status?.plan?.state === "Pending" ? cluster : undefined;
      },
      "a plan kept under plan-only",
      STEP_MS,
    )) as ClusterJson;
    const heldId = held.status?.plan?.id ?? "";
    expect(condition(held, "PlanPending")).toMatchObject({ status: "True", reason: "PlanOnly" });
    expect(await clusterInstances(NS, CLUSTER)).toEqual([]);
    expect(await getObject(endpoint, BUCKET, STATE_KEY)).toBeUndefined();

    // The export: the configuration clusterform planned (backend included), README, plan summary.
    const exported = join(work, "export", NS, CLUSTER);
    const configText = await readFile(join(exported, "cdk.tf.json"), "utf8");
    const config = JSON.parse(configText) as {
      terraform: { backend: { s3?: { bucket: string; key: string } } };
    };
    expect(config.terraform.backend.s3).toMatchObject({ bucket: BUCKET, key: STATE_KEY });
    const summary = JSON.parse(await readFile(join(exported, "clusterform-plan.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(summary).toMatchObject({ id: heldId, policy: "plan-only", action: "none", hasChanges: true });
    expect(summary.configHash).toBe(createHash("sha256").update(configText).digest("hex"));
    expect(await readFile(join(exported, "README.md"), "utf8")).toContain(`s3://${BUCKET}/${STATE_KEY}`);

    // Re-checks of the shared state find it where the plan file said it was: no new plan.
    await eventually(
      async () => (controllers?.terraformRuns.state ?? 0) >= 2,
      "two re-checks of the shared state",
      STEP_MS,
    );
    expect(controllers?.terraformRuns.plan).toBe(1);
    expect(await eventsOf("StateMoved")).toEqual([]);

    // The pipeline: its own copy of the export, a CLI config for the mirror, sandbox credentials.
    const pipelineDir = join(work, "pipeline");
    await copyDir(exported, pipelineDir, { recursive: true });
    const terraform = await pipelineTerraform({
      work,
      dir: pipelineDir,
      endpoint,
      providerMirror: mirror,
      terraformBin,
    });
    const init = await terraform(["init", "-input=false", "-no-color"]);
    expect(init.exitCode, init.stderr).toBe(0);
    const apply = await terraform([
      "apply",
      "-auto-approve",
      "-input=false",
      "-no-color",
      "-lock-timeout=120s",
    ]);
    expect(apply.exitCode, `${apply.stdout}\n${apply.stderr}`).toBe(0);

    const applied = (await eventually(
      async () => {
        const cluster = await getCluster();
        return cluster.status?.plan?.state === "Applied" ? cluster : undefined;
      },
      "the held plan shown as applied outside clusterform",
      STEP_MS,
    )) as ClusterJson;
    expect(applied.status?.plan).toMatchObject({ id: heldId, state: "Applied", appliedBy: "external" });
    expect(applied.status?.lastAppliedPlan).toBe(heldId);
    expect(condition(applied, "PlanPending")).toMatchObject({ status: "False", reason: "AppliedOutside" });
    expect((await eventsOf("AppliedOutside"))[0]).toContain(`plan ${heldId} was applied outside clusterform`);

    // Every Machine Ready with the providerID of the instance the pipeline made for it.
    const instances = await clusterInstances(NS, CLUSTER);
    const idOf = new Map(instances.map((i) => [i.tags["clusterform.io/machine"], i]));
    expect([...idOf.keys()].sort()).toEqual(MACHINES.map((m) => `${NS}/${m}`));
    const machines = (await eventually(
      async () => {
        const all = await getMachines();
        return all.every((m) => condition(m, "Ready")?.status === "True") ? all : undefined;
      },
      "every Machine Ready",
      STEP_MS,
    )) as MachineJson[];
    for (const machine of machines) {
      const instance = idOf.get(`${NS}/${machine.metadata.name}`);
      expect(machine.status?.providerID).toBe(`aws:////${instance?.instanceId}`);
      expect(machine.spec?.providerID).toBe(`aws:////${instance?.instanceId}`);
      expect(machine.status?.addresses).toContainEqual({ type: "InternalIP", address: instance?.privateIp });
    }
    // clusterform planned and read; it never applied.
    expect(controllers?.terraformRuns.apply ?? 0).toBe(0);
    expect(controllers?.terraformRuns.state ?? 0).toBeGreaterThan(0);
    console.log(
      `terraform runs: ${JSON.stringify(controllers?.terraformRuns)}; state pull CPU ms: ${pullCpuMs.join(", ")}`,
    );
  });
});
