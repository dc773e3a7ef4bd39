/**
 * Convergence cost side by side (not a test): for one cluster and for a fleet
 * of N clusters, each on a fresh AWS emulator in the same run,
 *   bare        `terraform init` + `apply -auto-approve` of clusterform's own
 *               synthesized JSON per cluster, as many at once as memory allows
 *   file        `clusterform apply -f DIR --auto-approve` (the built CLI)
 *   controller  `clusterform dev`, `kubectl apply -f DIR` until every Machine
 *               is Ready (seen through a watch), then an idle window with one no-op reconcile
 *               per cluster (Terraform runs, CPU)
 * and with --review, for one cluster, the flows with a review step, each
 * answered at once: bare `plan -out` + `apply planfile` (bare-reviewed) and
 * the controller under the manual policy, every held plan approved as soon
 * as it is listed (controller-reviewed); their ratios are to bare-reviewed.
 * Prints wall, CPU (including child processes), Terraform processes started,
 * peak RSS (the side's process tree, emulator excluded), the largest RSS of
 * one Terraform run, and ratios to bare. Linux (/proc), terraform, kubectl,
 * moto and a provider mirror needed, as for the e2e tests.
 *
 * Usage: npm run bench:converge -- [--fleet 3] [--machines 5] [--fleet-machines 2]
 *        [--idle-seconds 30] [--only single|fleet] [--review] [--clusterform-arg=--max-concurrent-runs=4 ...]
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startMotoServer } from "../src/sandbox/moto.js";
import { awsClusterYaml, awsMachineYaml } from "../test/helpers/aws-manifests.js";
import { loadAverage, positiveInt, requireProviderMirror } from "./lib/cli-args.js";
import { assertProcAvailable } from "./lib/proc.js";
import { bareTerraform, controllerMode, fileMode, type Measured, type Target } from "./lib/sides.js";
import { terraformShim } from "./lib/terraform-shim.js";

const { values } = parseArgs({
  options: {
    fleet: { type: "string", default: "3" },
    machines: { type: "string", default: "5" },
    "fleet-machines": { type: "string", default: "2" },
    "idle-seconds": { type: "string", default: "30" },
    only: { type: "string" },
    review: { type: "boolean", default: false },
    "clusterform-arg": { type: "string", multiple: true, default: [] },
  },
});
const count = (name: keyof typeof values) => positiveInt(values, name);

const NAMESPACE = "default";

async function writeManifests(dir: string, clusters: number, machines: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let c = 0; c < clusters; c++) {
    const cluster = `bench-${c}`;
    const docs = [awsClusterYaml({ name: cluster, namespace: NAMESPACE, net: `10.${c + 1}` })];
    for (let m = 0; m < machines; m++)
      docs.push(awsMachineYaml({ name: `${cluster}-m${m}`, namespace: NAMESPACE, cluster }));
    await writeFile(join(dir, `${cluster}.yaml`), docs.join("---\n"));
  }
}

type Side = "bare" | "file" | "controller" | "bare-reviewed" | "controller-reviewed";

/** The side each one's ratios are taken to: reviewed flows against a reviewed bare pipeline. */
const BASELINE: Record<Side, Side> = {
  bare: "bare",
  file: "bare",
  controller: "bare",
  "bare-reviewed": "bare-reviewed",
  "controller-reviewed": "bare-reviewed",
};

async function scenario(label: string, clusters: number, machines: number, root: string, mirror: string) {
  const manifests = join(root, label, "manifests");
  await writeManifests(manifests, clusters, machines);
  const results = new Map<Side, Measured>();
  let idleLine = "";
  const extra = values["clusterform-arg"] ?? [];
  const sides: Side[] = ["bare", "file", "controller"];
  if (values.review && clusters === 1) sides.push("bare-reviewed", "controller-reviewed");
  for (const side of sides) {
    // A fresh emulator per side: no side sees another's instances or pays for its leftovers.
    const moto = await startMotoServer();
    const work = join(root, label, side);
    const target: Target = {
      manifests,
      work,
      endpoint: moto.endpoint,
      emulatorPid: moto.pid,
      mirror,
      shim: await terraformShim(join(work, "shim"), process.env.CLUSTERFORM_TERRAFORM_BIN ?? "terraform"),
      machines: clusters * machines,
    };
    try {
      process.stderr.write(`${label}: ${side}...\n`);
      if (side === "bare") results.set(side, await bareTerraform(target, { planAfter: clusters === 1 }));
      if (side === "bare-reviewed")
        results.set(side, await bareTerraform(target, { planAfter: false, reviewed: true }));
      if (side === "file") results.set(side, await fileMode(target, extra));
      if (side === "controller-reviewed")
        results.set(side, await controllerMode(target, extra, 0, { reviewed: true }));
      if (side === "controller") {
        const measured = await controllerMode(target, extra, count("idle-seconds"));
        results.set(side, measured);
        const { idle } = measured;
        idleLine = `idle ${idle.seconds} s after Ready, one no-op reconcile per cluster: ${idle.terraformRuns} Terraform runs, ${idle.cpuMs} ms CPU (${(idle.cpuMs / clusters).toFixed(0)} ms per cluster)`;
      }
    } finally {
      await moto.stop();
    }
  }
  print(`${label}: ${clusters} cluster(s) x ${machines} Machines`, results, idleLine);
}

function print(title: string, results: Map<Side, Measured>, idleLine: string): void {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(0);
  const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}x` : "-");
  console.log(`\n${title}`);
  console.log(
    "side                 wall s   CPU s  tf runs  peak RSS MB  run RSS MB  max runs  wall/base  CPU/base",
  );
  for (const [side, m] of results) {
    const bare = results.get(BASELINE[side]);
    console.log(
      `${side.padEnd(19)} ${s(m.wallMs).padStart(7)} ${s(m.cpuMs).padStart(7)} ${String(m.terraformRuns).padStart(8)} ${mb(m.peakRssBytes).padStart(12)} ${mb(m.maxRunRssBytes).padStart(11)} ${String(m.concurrentRuns).padStart(9)} ${ratio(m.wallMs, bare?.wallMs).padStart(10)} ${ratio(m.cpuMs, bare?.cpuMs).padStart(9)}`,
    );
  }
  for (const [side, m] of results) for (const note of m.notes) console.log(`  ${side}: ${note}`);
  if (idleLine) console.log(`  controller: ${idleLine}`);
}

async function main(): Promise<void> {
  assertProcAvailable();
  const mirror = requireProviderMirror();
  const root = await mkdtemp(join(tmpdir(), "cf-bench-converge-"));
  console.log(
    `machine: ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB, load average ${loadAverage()} at start`,
  );
  try {
    if (values.only !== "fleet") await scenario("single", 1, count("machines"), root, mirror);
    if (values.only !== "single")
      await scenario("fleet", count("fleet"), count("fleet-machines"), root, mirror);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  console.log(`load average ${loadAverage()} at end`);
}

await main();
