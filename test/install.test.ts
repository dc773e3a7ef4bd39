import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AUDIT_DIR_ENV } from "../src/control-plane/audit.js";
import { type ControlPlane, startControlPlane } from "../src/control-plane/index.js";
import { checkAuditDir } from "../src/deploy/audit-records.js";
import { COMPONENTS_FILE } from "../src/deploy/components.js";
import { HEALTH_PORT, METRICS_PORT, NAMESPACE } from "../src/deploy/layout.js";
import { liveInstances } from "../src/sandbox/ec2.js";
import { sandboxAwsEnv } from "../src/sandbox/moto.js";
import { awsClusterYaml, awsMachineYaml } from "./helpers/aws-manifests.js";
import { REPO_ROOT, runCli } from "./helpers/cli.js";
import { eventually } from "./helpers/control-plane.js";
import { deploymentContainer, localCommand } from "./helpers/deployment-command.js";

// `clusterform install` against the embedded control plane, then the
// controller started exactly as the generated Deployment starts it (command,
// args, env parsed from the components file; the image's paths mapped to
// local ones) converging one small cluster into the AWS emulator; then that
// pod replaced by a new one with empty emptyDirs, as Kubernetes reschedules
// it: the state lives only in the kubernetes backend's Secret.
const endpoint = inject("awsEndpoint");
const mirror = inject("providerMirror");
const NS = "install-e2e";
const CLUSTER = "pod-like";
const UNSERVED = [
  "serviceaccount/clusterform-controller",
  "clusterrole.rbac.authorization.k8s.io/clusterform-controller",
  "clusterrolebinding.rbac.authorization.k8s.io/clusterform-controller",
  "service/clusterform-controller-metrics",
  "deployment.apps/clusterform-controller",
];

let work: string;
let auditDir: string;
let kubeconfig: string;
let controlPlane: ControlPlane;
let controller: ResultPromise | undefined;
let controllerOutput = "";
let metricsAddress: string;
let healthAddress: string;

const kubectl = (args: string[], input?: string) =>
  execa("kubectl", args, { input, env: { KUBECONFIG: kubeconfig, HOME: work }, timeout: 60_000 });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "cf-install-"));
  auditDir = join(work, "audit");
  kubeconfig = join(work, "kubeconfig");
  controlPlane = await startControlPlane({
    dataDir: join(work, "data"),
    kubeconfigOut: kubeconfig,
    auditFile: join(auditDir, "install.jsonl"),
  });
});

afterAll(async () => {
  controller?.kill("SIGTERM");
  await controller?.catch(() => undefined);
  await controlPlane?.stop();
  // This file audits into a file of its own (its last test checks it alone); the run's RBAC check
  // (test/setup/global.ts) counts its requests too: they are the only ones made as in a pod.
  const runAudit = process.env[AUDIT_DIR_ENV];
  if (runAudit)
    await copyFile(join(auditDir, "install.jsonl"), join(runAudit, `install-${randomUUID()}.jsonl`));
  await rm(work, { recursive: true, force: true });
});

/** The pod's two emptyDirs (Terraform working directories, /tmp): fresh for every pod. */
const podDirs = () => ({ stateDir: join(work, "pod", "state"), tmp: join(work, "pod", "tmp") });

/** Starts the controller as a new pod of the Deployment would: its command, args and env, empty emptyDirs. */
function startPod(): ResultPromise {
  const { stateDir, tmp } = podDirs();
  rmSync(join(work, "pod"), { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  controllerOutput = "";
  const command = localCommand(deploymentContainer(), {
    stateDir,
    providerMirror: mirror,
    tmp,
    kubeconfig,
    bind: { [METRICS_PORT]: metricsAddress, [HEALTH_PORT]: healthAddress },
  });
  // The emulator is this test's one addition: the image talks to real AWS.
  const child = execa(command.file, [...command.args, `--aws-endpoint=${endpoint}`], {
    cwd: REPO_ROOT,
    env: { ...command.env, ...sandboxAwsEnv(endpoint), PATH: process.env.PATH ?? "" },
    extendEnv: false,
    reject: false,
    all: true,
  });
  child.all?.on("data", (chunk: Buffer) => {
    controllerOutput += chunk.toString();
  });
  return child;
}

/** The JSON log lines of the running pod. */
const logLines = () =>
  controllerOutput
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** How many Terraform runs of `operation` a /metrics body counts, whatever their result. */
function terraformRuns(metrics: string, operation: string): number {
  const sample = new RegExp(
    `^clusterform_terraform_run_duration_seconds_count\\{[^}]*operation="${operation}"[^}]*\\} (\\d+)$`,
    "gm",
  );
  return [...metrics.matchAll(sample)].reduce((sum, match) => sum + Number(match[1]), 0);
}

/** Rethrows a wait's error with the pod's last output, as it is when the wait gave up. */
function withOutput(error: Error): never {
  throw new Error(`${error.message}\ncontroller output:\n${controllerOutput.slice(-3000)}`);
}

/** The cluster's instances in the emulator that are not terminated or on their way there. */
const clusterInstances = async () =>
  (await liveInstances(endpoint, { "tag:clusterform.io/cluster": `${NS}/${CLUSTER}` }))
    .map((instance) => instance.instanceId)
    .sort();

/** The Machine's instance once it is Ready. */
async function readyMachine(
  timeoutMs = 120_000,
): Promise<{ instanceID: string; providerID: string; readySince: string }> {
  const out = await eventually(
    async () => {
      const { stdout } = await kubectl([
        "get",
        "machine",
        "-n",
        NS,
        "only",
        "-o",
        'jsonpath={.status.conditions[?(@.type=="Ready")].status} {.status.providerStatus.instanceID} {.spec.providerID} {.status.conditions[?(@.type=="Ready")].lastTransitionTime}',
      ]);
      return stdout.startsWith("True ") ? stdout : undefined;
    },
    "Machine only to be Ready",
    timeoutMs,
  ).catch(withOutput);
  const [, instanceID = "", providerID = "", readySince = ""] = (out ?? "").split(" ");
  return { instanceID, providerID, readySince };
}

describe("clusterform install", () => {
  it("--dry-run prints exactly the components file", async () => {
    const result = await runCli(["install", "--dry-run"]);
    expect(result.exitCode).toBe(0);
    expect(`${result.stdout}\n`).toBe(await readFile(join(REPO_ROOT, COMPONENTS_FILE), "utf8"));
  });

  it("installs the Namespace and CRDs the embedded control plane serves and names the kinds it cannot", async () => {
    const result = await runCli(["install", "--kubeconfig", kubeconfig, "--timeout", "60s"]);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stdout).toContain(`namespace/${NAMESPACE} created`);
    expect(result.stdout).toContain(
      "customresourcedefinition.apiextensions.k8s.io/clusters.cluster.k8s.io created",
    );
    expect(result.stderr).toContain("installed what this API server serves; not installed:");
    for (const name of UNSERVED) expect(result.stderr).toContain(`${name}: this API server does not serve`);
    const crds = await kubectl([
      "get",
      "crd",
      "-o",
      'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Established")].status}{"\\n"}{end}',
    ]);
    expect(crds.stdout.trim().split("\n").sort()).toEqual([
      "clusters.cluster.k8s.io=True",
      "machineclasses.cluster.k8s.io=True",
      "machinedeployments.cluster.k8s.io=True",
      "machines.cluster.k8s.io=True",
      "machinesets.cluster.k8s.io=True",
    ]);
  });

  it("is idempotent: a second install changes nothing", async () => {
    const result = await runCli(["install", "--kubeconfig", kubeconfig, "--timeout", "60s"]);
    expect(result.exitCode).toBe(1);
    const lines = result.stdout
      .trim()
      .split("\n")
      .filter((line) => !line.startsWith("clusterform"));
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toMatch(/ unchanged$/);
  });
});

describe("the controller as the Deployment runs it", () => {
  beforeAll(async () => {
    metricsAddress = `127.0.0.1:${await freePort()}`;
    healthAddress = `127.0.0.1:${await freePort()}`;
    controller = startPod();
    await kubectl(["create", "namespace", NS]);
    await kubectl(
      ["apply", "-f", "-"],
      [
        awsClusterYaml({ name: CLUSTER, namespace: NS, net: "10.77" }),
        awsMachineYaml({ name: "only", namespace: NS, cluster: CLUSTER }),
      ].join("---\n"),
    );
  });

  it("takes the leader Lease in its own namespace and turns ready", async () => {
    await eventually(
      async () => (await fetch(`http://${healthAddress}/readyz`)).status === 200,
      `/readyz to answer 200 (controller output: ${controllerOutput.slice(-2000)})`,
      120_000,
    );
    const lease = await kubectl(["get", "lease", "-n", NAMESPACE, "clusterform-controller", "-o", "name"]);
    expect(lease.stdout.trim()).toBe("lease.coordination.k8s.io/clusterform-controller");
  });

  it("converges the cluster with its state in a Secret (the kubernetes backend), logging JSON", async () => {
    expect((await readyMachine(480_000)).instanceID).toMatch(/^i-/);
    const secret = await kubectl([
      "get",
      "secret",
      "-n",
      NS,
      `tfstate-default-${NS}-${CLUSTER}`,
      "-o",
      "name",
    ]);
    expect(secret.stdout.trim()).toBe(`secret/tfstate-default-${NS}-${CLUSTER}`);
    const lines = controllerOutput.split("\n").filter((line) => line.startsWith("{"));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("a restarted or rescheduled pod (fresh emptyDirs) converges without duplicates and applies nothing", async () => {
    const before = await readyMachine();
    const instances = await clusterInstances();
    expect(instances).toEqual([before.instanceID]);
    controller?.kill("SIGTERM");
    expect((await controller)?.exitCode, controllerOutput.slice(-2000)).toBe(0);

    // A new pod: same command, empty working directory; the state is only in the Secret.
    controller = startPod();
    const converged = await eventually(
      () =>
        logLines().find(
          (line) => line.msg === "converged" && line.namespace === NS && line.cluster === CLUSTER,
        ),
      "the new pod's first pass over the cluster",
      300_000,
    ).catch(withOutput);
    // Its working directory is gone, so it plans (against the state in the Secret) and reads the outputs
    // anew; the plan is empty and nothing is applied.
    expect(converged).toMatchObject({ step: "plan", plan: { add: 0, change: 0, destroy: 0, replace: 0 } });
    const metrics = await (await fetch(`http://${metricsAddress}/metrics`)).text();
    expect(terraformRuns(metrics, "plan")).toBe(1);
    expect(terraformRuns(metrics, "apply")).toBe(0);
    expect(await clusterInstances()).toEqual(instances);
    // Ready throughout, with the same instance: the Ready condition never moved (the new pod, without
    // the applied record, knows the instance from the Machine's status).
    expect(await readyMachine()).toEqual(before);
  });

  it("made only requests the shipped RBAC rules allow", () => {
    const findings = checkAuditDir(auditDir);
    expect(findings.requests).toBeGreaterThan(20);
    expect(findings.denied).toEqual([]);
  });
});
