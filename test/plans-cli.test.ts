import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { KubernetesObject } from "@kubernetes/client-node";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cluster } from "../src/api/cluster.js";
import { ConfigMapResource } from "../src/cli/commands/plan-common.js";
import { ClusterResource } from "../src/controllers/shared/resources.js";
import { APPROVE_PLAN_ANNOTATION } from "../src/plans/approval.js";
import { planConfigMaps } from "../src/plans/plan-configmap.js";
import { Redactor } from "../src/terraform/redact.js";
import { REPO_ROOT } from "./helpers/cli.js";
import { startTestControlPlane, type TestControlPlane } from "./helpers/control-plane.js";

// The plan commands against the embedded control plane, as a reviewer uses
// them: the controller's side (status.plan, the plan ConfigMaps) is written
// here directly, so no Terraform runs.
const NS = "plans-cli";
const PLAN_ID = "0123456789abcdef";
const SECRET = "canary-secret-value-42";
let cp: TestControlPlane;

const cli = async (args: string[]) => {
  const result = await execa(
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "src/cli/main.ts"), ...args, "--kubeconfig", cp.kubeconfigPath],
    { cwd: REPO_ROOT, reject: false, stdin: "ignore" },
  );
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
};

const planText = Array.from(
  { length: 120 },
  (_, i) =>
    `  # aws_instance.machine["w-${i}"] will be created\n  + resource "aws_instance" "w-${i}" {\n      + tags = { Owner = "${SECRET}" }\n    }\n`,
).join("");

async function createCluster(name: string, plan?: NonNullable<Cluster["status"]>["plan"]): Promise<Cluster> {
  const manifest = readFileSync(join(REPO_ROOT, "fixtures/aws/cluster.yaml"), "utf8").replace(
    "name: workload-cluster-1",
    `name: ${name}`,
  );
  await cp.kubectlOk(["apply", "-n", NS, "-f", "-"], manifest);
  if (plan) {
    await cp.client.patch(ClusterResource, NS, name, "merge", { status: { plan } }, "status");
  }
  return cp.client.get<Cluster & KubernetesObject>(ClusterResource, NS, name);
}

beforeAll(async () => {
  cp = await startTestControlPlane();
  await cp.kubectlOk(["create", "namespace", NS]);
  const cluster = await createCluster("alpha", {
    id: PLAN_ID,
    add: 120,
    change: 0,
    destroy: 0,
    replace: 0,
    generatedAt: "2026-01-01T00:00:00Z",
    state: "Pending",
  });
  // A small part size spreads this plan over several ConfigMaps, as a huge plan would be.
  const parts = planConfigMaps({
    cluster: { name: "alpha", namespace: NS, uid: cluster.metadata.uid ?? "" },
    id: PLAN_ID,
    summary: `Plan ${PLAN_ID}: 120 to add, 0 to change, 0 to destroy`,
    text: planText,
    redactor: new Redactor([SECRET]),
    maxPartBytes: 4096,
  });
  expect(parts.length).toBeGreaterThan(3);
  for (const part of parts)
    await cp.client.create(ConfigMapResource, NS, part as unknown as KubernetesObject);
  await createCluster("beta", {
    id: "fedcba9876543210",
    add: 0,
    change: 0,
    destroy: 0,
    replace: 0,
    state: "Applied",
  });
});

afterAll(async () => {
  await cp?.stop();
});

describe("clusterform plan list", () => {
  it("lists only the Clusters whose plan waits for approval", async () => {
    const result = await cli(["plan", "list", "-n", NS]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${NS}\\s+alpha\\s+${PLAN_ID}\\s+120\\s+0\\s+0\\s+0`, "m"));
    expect(result.stdout).not.toContain("beta");
  });
});

describe("clusterform plan show", () => {
  it("prints the whole redacted plan, joined from every part, without colours off a terminal", async () => {
    const result = await cli(["plan", "show", "alpha", "-n", NS]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Plan ${PLAN_ID} for Cluster ${NS}/alpha (Pending)`);
    expect(result.stdout).toContain('aws_instance.machine["w-0"] will be created');
    expect(result.stdout).toContain('aws_instance.machine["w-119"] will be created');
    expect(result.stdout).not.toContain(SECRET);
    expect(result.stdout).not.toContain("\u001b[");
  });

  it("stays readable with kubectl alone, as docs/plans.md says", async () => {
    const text = await cp.kubectlOk([
      "get",
      "configmap",
      "-n",
      NS,
      "-l",
      "clusterform.io/plan-of=alpha",
      "--sort-by=.metadata.name",
      "-o",
      "jsonpath={range .items[*]}{.data.plan\\.txt}{end}",
    ]);
    // execa drops the final newline of what kubectl printed.
    expect(text).toBe(planText.replaceAll(SECRET, "(redacted)").replace(/\n$/, ""));
  });

  it("says so when a Cluster has no plan ConfigMap", async () => {
    const result = await cli(["plan", "show", "beta", "-n", NS]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`Cluster ${NS}/beta has no plan ConfigMap beta-plan yet`);
  });
});

describe("clusterform plan approve", () => {
  it("refuses an id other than the pending plan's, leaving the Cluster unannotated", async () => {
    const result = await cli(["plan", "approve", "alpha", "-n", NS, "--id", "aaaaaaaaaaaaaaaa"]);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(
      `the pending plan of Cluster ${NS}/alpha is ${PLAN_ID}, not aaaaaaaaaaaaaaaa`,
    );
    const annotations = await cp.kubectlOk([
      "get",
      "cluster",
      "alpha",
      "-n",
      NS,
      "-o",
      "jsonpath={.metadata.annotations}",
    ]);
    expect(annotations).not.toContain(APPROVE_PLAN_ANNOTATION);
  });

  it("refuses when nothing is pending", async () => {
    const result = await cli(["plan", "approve", "beta", "-n", NS]);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`Cluster ${NS}/beta has no pending plan (status.plan.state is Applied)`);
  });

  it("annotates the Cluster with the pending plan's id", async () => {
    const result = await cli(["plan", "approve", "alpha", "-n", NS, "--id", PLAN_ID]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`plan ${PLAN_ID} approved`);
    const value = await cp.kubectlOk([
      "get",
      "cluster",
      "alpha",
      "-n",
      NS,
      "-o",
      "jsonpath={.metadata.annotations.clusterform\\.io/approve-plan}",
    ]);
    expect(value).toBe(PLAN_ID);
  });
});

describe("clusterform status", () => {
  it("prints the Cluster as a tree with its pending plan and grouped Machines", async () => {
    const machine = readFileSync(join(REPO_ROOT, "fixtures/aws/controlplane-machine.yaml"), "utf8");
    await cp.kubectlOk(["apply", "-n", NS, "-f", "-"], machine.replaceAll("workload-cluster-1", "alpha"));
    const result = await cli(["status", "alpha", "-n", NS]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Cluster\/alpha/m);
    expect(result.stdout).toMatch(new RegExp(`├─Plan ${PLAN_ID}\\s+Pending\\s+120 to add`));
    expect(result.stdout).toMatch(/└─Machines\n\s+└─Pending \(1\)/);
  });
});
