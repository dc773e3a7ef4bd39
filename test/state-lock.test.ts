import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createBucket, deleteObject, getObject, putObject } from "../src/sandbox/s3.js";
import { writeRunRecord } from "../src/terraform/run-record.js";
import { terraformWho } from "../src/terraform/state-lock.js";
import { awsClusterYaml } from "./helpers/aws-manifests.js";
import { eventually, type TestControlPlane } from "./helpers/control-plane.js";
import type { ControllerHarness } from "./helpers/controllers.js";
import {
  type ControlPlaneAndControllers,
  startControlPlaneAndControllers,
} from "./helpers/e2e-controllers.js";

// Terraform's state lock on a shared s3 backend (use_lockfile: an object
// <key>.tflock in the bucket), end to end: real terraform, the emulator's S3,
// the controller in-process. A lock held by someone else is waited for and
// reported (StateLocked=True), never forced; a lock our own crashed run left
// is cleared (StaleLockCleared) and the cluster converges. One small cluster
// (a VPC and a subnet) per case; a locked run fails before loading providers.
// Under the default auto policy a new cluster is planned and applied in one
// run (after a `state pull`, which takes no lock): that apply meets the lock.
const endpoint = inject("awsEndpoint");
const NS = "state-lock-e2e";
const BUCKET = "clusterform-locks-e2e";
const PREFIX = "locks";

let env: ControlPlaneAndControllers | undefined;
let cp: TestControlPlane;
let controllers: ControllerHarness;
/** The pid of each cluster's latest terraform apply. */
const applyPids = new Map<string, number>();

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface ClusterJson {
  status?: { phase?: string; errorReason?: string; conditions?: Condition[] };
}

const stateKey = (cluster: string) => `${PREFIX}/${NS}/${cluster}/terraform.tfstate`;
const lockKey = (cluster: string) => `${stateKey(cluster)}.tflock`;

const clusterYaml = (name: string, net: string) =>
  awsClusterYaml({
    name,
    namespace: NS,
    net,
    annotations: {
      "clusterform.io/backend": "s3",
      "clusterform.io/backend-bucket": BUCKET,
      "clusterform.io/backend-key-prefix": PREFIX,
      "clusterform.io/backend-endpoint": endpoint,
    },
  });

/** The lock file exactly as Terraform writes it (statemgr.LockInfo as JSON). */
async function plantLock(cluster: string, who: string, created: Date): Promise<string> {
  const id = randomUUID();
  const info = {
    ID: id,
    Operation: "OperationTypeApply",
    Info: "",
    Who: who,
    Version: "1.11.4",
    Created: created.toISOString(),
    Path: `${BUCKET}/${stateKey(cluster)}`,
  };
  await putObject(endpoint, BUCKET, lockKey(cluster), JSON.stringify(info));
  return id;
}

const getCluster = async (name: string): Promise<ClusterJson> =>
  JSON.parse(await cp.kubectlOk(["get", "cluster", name, "-n", NS, "-o", "json"])) as ClusterJson;
const condition = (cluster: ClusterJson, type: string) =>
  cluster.status?.conditions?.find((c) => c.type === type);
const stateResources = async (cluster: string): Promise<number> => {
  const text = await getObject(endpoint, BUCKET, stateKey(cluster));
  return text ? ((JSON.parse(text) as { resources?: unknown[] }).resources?.length ?? 0) : 0;
};
const eventsOf = async (cluster: string, reason: string): Promise<string[]> => {
  const out = await cp.kubectlOk([
    "get",
    "events",
    "-n",
    NS,
    "--field-selector",
    `involvedObject.name=${cluster},reason=${reason}`,
    "-o",
    'jsonpath={range .items[*]}{.message}{"\\n"}{end}',
  ]);
  return out.split("\n").filter(Boolean);
};

/** A pid that existed and is gone now. */
function deadPid(): number {
  return Number(spawnSync("sh", ["-c", "echo $$"], { encoding: "utf8" }).stdout.trim());
}

beforeAll(async () => {
  await createBucket(endpoint, BUCKET);
  env = await startControlPlaneAndControllers(NS, {
    converge: {
      onEvent: (cluster, event) => {
        if (event.type === "run_start" && event.operation === "apply") applyPids.set(cluster.name, event.pid);
      },
    },
  });
  ({ cp, controllers } = env);
});

afterAll(() => env?.stop());

describe("Terraform state locks on an s3 backend", () => {
  it("waits for a pipeline's lock with StateLocked=True, applies nothing, and converges once it is released", async () => {
    const cluster = "locked-out";
    const id = await plantLock(cluster, "ci@pipeline-runner", new Date());
    await cp.kubectlOk(["apply", "-f", "-"], clusterYaml(cluster, "10.61"));

    const locked = (await eventually(
      async () => {
        const current = await getCluster(cluster);
        return condition(current, "StateLocked")?.status === "True" ? current : undefined;
      },
      "StateLocked=True",
      240_000,
    )) as ClusterJson;
    const message = condition(locked, "StateLocked")?.message ?? "";
    expect(condition(locked, "StateLocked")?.reason).toBe("StateLocked");
    expect(message).toContain("ci@pipeline-runner (OperationTypeApply) since");
    expect(message).toContain(`terraform force-unlock ${id}`);
    // Retried, not failed: no terminal error on the Cluster (Ready's reason moves with each retry).
    expect(condition(locked, "Ready")?.status).toBe("False");
    expect(locked.status?.errorReason).toBeUndefined();
    const [retrying] = await eventsOf(cluster, "TerraformRetrying");
    expect(retrying).toMatch(
      /^StateLocked: terraform apply in .*: the state is locked by ci@pipeline-runner /,
    );
    // Never forced, nothing applied.
    expect(JSON.parse((await getObject(endpoint, BUCKET, lockKey(cluster))) ?? "{}")).toMatchObject({
      ID: id,
    });
    expect(await stateResources(cluster)).toBe(0);
    expect(controllers.terraformRuns["force-unlock"] ?? 0).toBe(0);

    // The pipeline finishes: its lock goes, the next retry gets the lock and converges.
    await deleteObject(endpoint, BUCKET, lockKey(cluster));
    const converged = (await eventually(
      async () => {
        const current = await getCluster(cluster);
        return condition(current, "StateLocked")?.status === "False" ? current : undefined;
      },
      "StateLocked=False after the lock was released",
      240_000,
    )) as ClusterJson;
    expect(condition(converged, "StateLocked")?.reason).toBe("StateLockAcquired");
    expect(condition(converged, "InfrastructureReady")?.status).toBe("True");
    expect(await stateResources(cluster)).toBeGreaterThan(0);
    expect(await eventsOf(cluster, "StaleLockCleared")).toEqual([]);
  });

  it("clears the lock its own crashed run left behind, with a StaleLockCleared Event, and converges", async () => {
    const cluster = "crashed";
    // What a controller killed mid-apply leaves: its directory lock and run record (both pids gone), and
    // Terraform's lock in the bucket, taken by this user on this host while that run was alive.
    const runnerDir = join(controllers.stateDir, NS, cluster, ".runner");
    await mkdir(runnerDir, { recursive: true, mode: 0o700 });
    const startedAt = new Date(Date.now() - 120_000);
    const owner = deadPid();
    await writeFile(
      join(runnerDir, "lock"),
      JSON.stringify({ pid: owner, hostname: hostname(), operation: "apply", acquiredAt: startedAt }),
    );
    await writeRunRecord(runnerDir, {
      pid: deadPid(),
      ownerPid: owner,
      hostname: hostname(),
      operation: "apply",
      args: ["apply", "-input=false", "-json", join(runnerDir, "plan.tfplan")],
      startedAt: startedAt.toISOString(),
      stdoutFile: join(runnerDir, "apply.stdout"),
    });
    const id = await plantLock(cluster, terraformWho(), new Date(startedAt.getTime() + 5_000));
    const applies = controllers.terraformRuns.apply ?? 0;

    await cp.kubectlOk(["apply", "-f", "-"], clusterYaml(cluster, "10.62"));
    const [cleared] = (await eventually(
      async () => {
        const events = await eventsOf(cluster, "StaleLockCleared");
        return events.length > 0 ? events : undefined;
      },
      "a StaleLockCleared Event",
      240_000,
    )) as string[];
    expect(cleared).toContain(
      `cleared stale state lock ${id} held by ${terraformWho()} (OperationTypeApply)`,
    );
    expect(cleared).toMatch(/ for [12]m\d+s: taken during an abandoned terraform apply started /);
    const converged = (await eventually(
      async () => {
        const current = await getCluster(cluster);
        return condition(current, "InfrastructureReady")?.status === "True" ? current : undefined;
      },
      "the cluster converged after the stale lock was cleared",
      240_000,
    )) as ClusterJson;
    expect(await stateResources(cluster)).toBeGreaterThan(0);
    expect(controllers.terraformRuns["force-unlock"]).toBe(1);
    // The one-run apply that met the lock, then the same step redone once.
    expect(controllers.terraformRuns.apply).toBe(applies + 2);
    // Cleared within the pass: the cluster was never reported locked.
    expect(condition(converged, "StateLocked")).toBeUndefined();
    expect(await getObject(endpoint, BUCKET, lockKey(cluster))).toBeUndefined();
  });

  it("retries an apply killed with SIGKILL, clears the lock it left, and converges", async () => {
    const cluster = "killed";
    const unlocks = controllers.terraformRuns["force-unlock"] ?? 0;
    await cp.kubectlOk(["apply", "-f", "-"], clusterYaml(cluster, "10.63"));
    const pid = (await eventually(() => applyPids.get(cluster), "the apply started", 240_000)) as number;
    const lock = (await eventually(
      () => getObject(endpoint, BUCKET, lockKey(cluster)),
      "the apply's lock in the bucket",
      60_000,
    )) as string;
    // As the OOM killer would: Terraform dies at once, holding its lock; the controller lives on.
    process.kill(pid, "SIGKILL");
    const id = (JSON.parse(lock) as { ID: string; Who: string }).ID;
    expect((JSON.parse(lock) as { Who: string }).Who).toBe(terraformWho());

    const [cleared] = (await eventually(
      async () => {
        const events = await eventsOf(cluster, "StaleLockCleared");
        return events.length > 0 ? events : undefined;
      },
      "a StaleLockCleared Event after the kill",
      240_000,
    )) as string[];
    expect(cleared).toContain(
      `cleared stale state lock ${id} held by ${terraformWho()} (OperationTypeApply)`,
    );
    expect(cleared).toContain(`taken during a killed terraform apply started`);
    expect(cleared).toContain(`whose process ${pid} is gone`);
    await eventually(
      async () => condition(await getCluster(cluster), "InfrastructureReady")?.status === "True",
      "the cluster converged after the killed apply",
      240_000,
    );
    expect(await stateResources(cluster)).toBeGreaterThan(0);
    expect(controllers.terraformRuns["force-unlock"]).toBe(unlocks + 1);
  });
});
