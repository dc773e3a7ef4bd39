import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseScrape, type Scrape } from "../../src/metrics/scrape.test-helpers.js";
import { sandboxAwsEnv } from "../../src/sandbox/moto.js";
import { awsClusterYaml, awsMachineYaml } from "../helpers/aws-manifests.js";
import { startCli } from "../helpers/cli.js";
import { eventually, startTestControlPlane, type TestControlPlane } from "../helpers/control-plane.js";

// `clusterform run` as a cluster would run it: leader election, JSON logs,
// /metrics and the probes on ports of its choosing, one small cluster
// converged into the AWS emulator. The metrics are scraped and parsed as
// Prometheus text before and after; the logs are parsed line by line.
const NAMESPACE = "observability-e2e";
const CLUSTER = "watched";
const SECRET = sandboxAwsEnv("http://unused").AWS_SECRET_ACCESS_KEY ?? "";

let cp: TestControlPlane;
let work: string;
let run: ReturnType<typeof startCli> | undefined;
let stderr = "";
let metricsUrl: string;
let readyzUrl: string;
let before: Scrape;

/** Every complete line on stderr, each parsed as JSON (a line that is not JSON fails the test). */
const logLines = (): Record<string, unknown>[] =>
  stderr
    .slice(0, stderr.lastIndexOf("\n") + 1)
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const scrape = async (): Promise<Scrape> => {
  const response = await fetch(metricsUrl);
  expect(response.status).toBe(200);
  return parseScrape(await response.text());
};

/** The address a "serving ..." log line reports, as a loopback URL. */
const servedAt = (what: string) =>
  eventually(
    () => {
      const line = logLines().find((l) => l.msg === `serving ${what}`);
      return line ? `http://${String(line.address)}` : undefined;
    },
    `the "serving ${what}" log line`,
    60_000,
  );

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "cf-observability-e2e-"));
  cp = await startTestControlPlane();
  await cp.kubectlOk(["create", "namespace", NAMESPACE]);
  const endpoint = inject("awsEndpoint");
  run = startCli(
    [
      "run",
      "--kubeconfig",
      cp.kubeconfigPath,
      "--namespace",
      NAMESPACE,
      "--leader-elect",
      "--state-dir",
      join(work, "state"),
      "--provider-mirror",
      inject("providerMirror"),
      "--aws-endpoint",
      endpoint,
      "--log-format",
      "json",
      "--log-level",
      "debug",
      "--metrics-bind-address",
      "127.0.0.1:0",
      "--health-probe-bind-address",
      "127.0.0.1:0",
    ],
    { awsEndpoint: endpoint, env: { CLUSTERFORM_TERRAFORM_BIN: inject("terraformBin") } },
  );
  run.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  metricsUrl = `${await servedAt("metrics")}/metrics`;
  readyzUrl = `${await servedAt("health probes")}/readyz`;
}, 120_000);

afterAll(async () => {
  await import("node:fs/promises").then((fs) => fs.writeFile("/tmp/obs-run.log", stderr));
  run?.kill("SIGTERM");
  await run;
  await cp?.stop();
  await rm(work, { recursive: true, force: true });
});

describe("clusterform run with metrics, probes and JSON logs", () => {
  it("turns ready once it leads and its caches synced, with controller-runtime's metrics at zero", async () => {
    await eventually(async () => (await fetch(readyzUrl)).status === 200 || undefined, "/readyz 200", 60_000);
    expect((await fetch(readyzUrl.replace("/readyz", "/healthz"))).status).toBe(200);
    before = await scrape();
    for (const name of [
      "controller_runtime_reconcile_total",
      "controller_runtime_reconcile_errors_total",
      "controller_runtime_reconcile_time_seconds",
      "workqueue_depth",
      "workqueue_adds_total",
      "workqueue_queue_duration_seconds",
      "workqueue_work_duration_seconds",
      "workqueue_retries_total",
      "leader_election_master_status",
      "clusterform_terraform_run_duration_seconds",
      "clusterform_drift_detected_total",
      "clusterform_plans_pending_approval",
      "clusterform_clusters",
      "clusterform_machines",
    ])
      expect(before.families.has(name), name).toBe(true);
    expect(before.value("leader_election_master_status", { name: "clusterform-controller" })).toBe(1);
    expect(
      before.value("controller_runtime_reconcile_total", { controller: "cluster", result: "success" }),
    ).toBe(0);
  });

  it("moves the reconcile, queue and Terraform-run metrics as the cluster converges", async () => {
    await cp.kubectlOk(
      ["apply", "-f", "-"],
      [
        awsClusterYaml({ name: CLUSTER, namespace: NAMESPACE, net: "10.95" }),
        awsMachineYaml({ name: `${CLUSTER}-m1`, namespace: NAMESPACE, cluster: CLUSTER }),
      ].join("---\n"),
    );
    await eventually(
      async () => {
        const ready = await cp.kubectlOk([
          "get",
          "machine",
          `${CLUSTER}-m1`,
          "-n",
          NAMESPACE,
          "-o",
          'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
        ]);
        return ready === "True";
      },
      "the Machine Ready",
      400_000,
    );
    // The pass that writes Ready is counted once it returns, a moment later: a converged pass asks to
    // come back for its drift check (result requeue_after), a pass with nothing scheduled is a success.
    const finishedPasses = (scraped: Awaited<ReturnType<typeof scrape>>) =>
      ["success", "requeue_after"].reduce(
        (sum, result) =>
          sum + (scraped.value("controller_runtime_reconcile_total", { controller: "cluster", result }) ?? 0),
        0,
      );
    const after = await eventually(
      async () => {
        const now = await scrape();
        const running = now.value("clusterform_machines", { phase: "Running" }) ?? 0;
        return running >= 1 && finishedPasses(now) > 0 ? now : undefined;
      },
      "a Running machine in clusterform_machines and a finished cluster pass",
      30_000,
    );
    if (!after) throw new Error("no scrape");
    const cluster = { controller: "cluster" };
    expect(finishedPasses(after)).toBeGreaterThan(0);
    expect(after.value("controller_runtime_reconcile_time_seconds_count", cluster)).toBeGreaterThan(0);
    expect(after.value("workqueue_adds_total", { name: "cluster" })).toBeGreaterThan(
      before.value("workqueue_adds_total", { name: "cluster" }) ?? 0,
    );
    expect(after.value("workqueue_work_duration_seconds_count", { name: "cluster" })).toBeGreaterThan(0);
    // A new cluster under auto: init, then one apply that plans and applies (no separate plan).
    for (const operation of ["init", "apply"])
      expect(
        after.value("clusterform_terraform_run_duration_seconds_count", { operation, result: "success" }),
        operation,
      ).toBeGreaterThanOrEqual(1);
    expect(
      before.value("clusterform_terraform_run_duration_seconds_count", { operation: "apply" }),
    ).toBeUndefined();
    expect(after.value("clusterform_clusters", { phase: "Provisioned" })).toBe(1);
    expect(after.value("clusterform_plans_pending_approval")).toBe(0);
  });

  it("logs JSON lines, the reconcile's carrying controller, namespace, cluster and reconcileID; no secret, no lock-file warning", () => {
    const lines = logLines();
    for (const line of lines)
      expect(Object.keys(line)).toEqual(expect.arrayContaining(["time", "level", "msg"]));
    const converged = lines.filter((line) => line.msg === "converged");
    expect(converged.length).toBeGreaterThan(0);
    const applied = lines.filter((line) => String(line.msg).includes("Creation complete"));
    expect(applied.length).toBeGreaterThan(0);
    for (const line of [...converged, ...applied])
      expect(line).toMatchObject({
        controller: "cluster",
        namespace: NAMESPACE,
        cluster: CLUSTER,
        reconcileID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    // Terraform's lines belong to the reconcile that ran it.
    const ids = new Set(converged.map((line) => line.reconcileID));
    expect(applied.every((line) => ids.has(line.reconcileID))).toBe(true);
    // The provider mirror makes Terraform warn about the lock file: at debug, never as a warning.
    const lockFile = lines.filter((line) => String(line.msg).includes("Incomplete lock file information"));
    expect(lockFile.length).toBeGreaterThan(0);
    expect(lockFile.every((line) => line.level === "debug" && line.cluster === CLUSTER)).toBe(true);
    expect(stderr).not.toContain(SECRET);
  });
});
