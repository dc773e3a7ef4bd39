/**
 * A drift check's cost side by side (not a test), for one AWS cluster of M
 * Machines applied by bare Terraform on a fresh emulator:
 *   full plan    `terraform plan` (what every drift check was before)
 *   cheap check  the controller's cheap drift check (signed DescribeInstances
 *                + DescribeSecurityGroups, comparison, its record file)
 * Prints the median CPU and wall of each, the ratio, and what 1,000 clusters
 * checked every 10 minutes cost in cores on paper. CPU: Terraform's from
 * /proc (terraform + provider), the cheap check's from process.cpuUsage()
 * (this process alone); the emulator's CPU is in neither (it stands for AWS).
 *
 * Usage: npm run bench:drift-check -- [--machines 2] [--plans 3] [--checks 30]
 */

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { execa } from "execa";
import { loadModels } from "../src/cli/manifests.js";
import { awsApiTarget } from "../src/cloud/aws-target.js";
import { runCheapDriftCheck } from "../src/controllers/cluster/cheap-drift.js";
import type { ClusterScope } from "../src/controllers/cluster/scope.js";
import { startMotoServer } from "../src/sandbox/moto.js";
import { awsClusterYaml, awsMachineYaml } from "../test/helpers/aws-manifests.js";
import { loadAverage, positiveInt, requireProviderMirror } from "./lib/cli-args.js";
import { assertProcAvailable } from "./lib/proc.js";
import { bareTerraform, bareTerraformEnv, fullPlan, type Target } from "./lib/sides.js";
import { terraformShim } from "./lib/terraform-shim.js";

const { values } = parseArgs({
  options: {
    machines: { type: "string", default: "2" },
    plans: { type: "string", default: "3" },
    checks: { type: "string", default: "30" },
  },
});
const count = (name: keyof typeof values) => positiveInt(values, name);

const NAMESPACE = "default";
const CLUSTER = "drift-bench";
const FLEET = 1_000;
const EVERY_S = 600;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  assertProcAvailable();
  const mirror = requireProviderMirror();
  const root = await mkdtemp(join(tmpdir(), "cf-bench-drift-"));
  const moto = await startMotoServer();
  console.log(
    `machine: ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB, load average ${loadAverage()} at start`,
  );
  try {
    const manifests = join(root, "manifests");
    await mkdir(manifests, { recursive: true });
    const docs = [awsClusterYaml({ name: CLUSTER, namespace: NAMESPACE, net: "10.9" })];
    for (let m = 0; m < count("machines"); m++)
      docs.push(awsMachineYaml({ name: `${CLUSTER}-m${m}`, namespace: NAMESPACE, cluster: CLUSTER }));
    await writeFile(join(manifests, `${CLUSTER}.yaml`), docs.join("---\n"));
    const target: Target = {
      manifests,
      work: join(root, "work"),
      endpoint: moto.endpoint,
      emulatorPid: moto.pid,
      mirror,
      shim: await terraformShim(join(root, "shim"), process.env.CLUSTERFORM_TERRAFORM_BIN ?? "terraform"),
      machines: count("machines"),
    };
    process.stderr.write("applying the cluster with bare Terraform...\n");
    await bareTerraform(target, { planAfter: false });
    const dir = join(target.work, "bare", NAMESPACE, CLUSTER);
    const env = await bareTerraformEnv(target);

    process.stderr.write(`${count("plans")} full plan(s)...\n`);
    const plans: { cpuMs: number; wallMs: number }[] = [];
    for (let i = 0; i < count("plans"); i++) plans.push(await fullPlan(target, dir, env));

    const [model] = await loadModels([manifests]);
    if (model?.provider !== "aws") throw new Error("expected one AWS cluster in the manifests");
    const outputs = JSON.parse(
      (await execa(target.shim.path, ["output", "-json"], { cwd: dir, env })).stdout,
    );
    const api = awsApiTarget(env, model.spec.region, target.endpoint);
    if (!api.ok) throw new Error(api.reason);
    const scope = {
      key: { namespace: NAMESPACE, name: CLUSTER },
      cluster: {
        metadata: { name: CLUSTER, namespace: NAMESPACE },
        status: { lastDriftCheck: new Date().toISOString() },
      },
      workDir: dir,
      applied: { appliedAt: new Date().toISOString() },
      outputs,
    } as unknown as ClusterScope;
    process.stderr.write(`${count("checks")} cheap checks...\n`);
    const checks: { cpuMs: number; wallMs: number }[] = [];
    let differences = 0;
    // One unmeasured check first: module loading and the connection pool's first connection.
    await runCheapDriftCheck(api.target, scope, model, new Date());
    for (let i = 0; i < count("checks"); i++) {
      const cpu0 = process.cpuUsage();
      const start = performance.now();
      const result = await runCheapDriftCheck(api.target, scope, model, new Date());
      const cpu = process.cpuUsage(cpu0);
      checks.push({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - start });
      if (result.kind !== "checked") throw new Error(`the cheap check failed: ${result.message}`);
      differences += result.reasons.length;
    }
    if (differences > 0) throw new Error("the cheap check saw differences on an untouched cluster");

    const planCpu = median(plans.map((p) => p.cpuMs));
    const checkCpu = median(checks.map((c) => c.cpuMs));
    const cores = (cpuMs: number) => ((FLEET * cpuMs) / 1000 / EVERY_S).toFixed(3);
    console.log(`\none cluster of ${count("machines")} Machines, medians`);
    console.log("check          runs   CPU ms   wall ms");
    console.log(
      `full plan   ${String(plans.length).padStart(7)} ${planCpu.toFixed(0).padStart(8)} ${median(
        plans.map((p) => p.wallMs),
      )
        .toFixed(0)
        .padStart(9)}`,
    );
    console.log(
      `cheap check ${String(checks.length).padStart(7)} ${checkCpu.toFixed(1).padStart(8)} ${median(
        checks.map((c) => c.wallMs),
      )
        .toFixed(1)
        .padStart(9)}`,
    );
    console.log(
      `  cheap / full: ${((100 * checkCpu) / planCpu).toFixed(2)}% of a plan's CPU (goal: well under 5%)`,
    );
    console.log(
      `  ${FLEET} clusters every ${EVERY_S / 60} min: full plans ${cores(planCpu)} cores, cheap checks ${cores(checkCpu)} cores` +
        ` (+ one full plan per cluster per hour by default: ${((FLEET * planCpu) / 1000 / 3600).toFixed(2)} cores)`,
    );
    console.log(`load average ${loadAverage()} at end`);
  } finally {
    await moto.stop();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
