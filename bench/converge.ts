/**
 * Convergence cost side by side (not a test): for one cluster and for a fleet
 * of N clusters, each on a fresh AWS emulator in the same run,
 *   bare        `terraform init` + `apply -auto-approve` of clusterform's own
 *               synthesized JSON per cluster, as many at once as memory allows
 *   file        `clusterform apply -f DIR --auto-approve` (the built CLI)
 *   controller  `clusterform dev`, `kubectl apply -f DIR` until every Machine
 *               is Ready, then an idle window with one no-op reconcile
 *               per cluster (Terraform runs, CPU)
 * Prints wall, CPU (including child processes), Terraform processes started,
 * peak RSS (the side's process tree, emulator excluded), the largest RSS of
 * one Terraform run, and ratios to bare. Linux (/proc), terraform, kubectl,
 * moto and a provider mirror needed, as for the e2e tests.
 *
 * Usage: npm run bench:converge -- [--fleet 3] [--machines 5] [--fleet-machines 2]
 *        [--idle-seconds 30] [--only single|fleet] [--clusterform-arg=--max-concurrent-runs=4 ...]
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

type Side = "bare" | "file" | "controller";

async function scenario(label: string, clusters: number, machines: number, root: string, mirror: string) {
  const manifests = join(root, label, "manifests");
  await writeManifests(manifests, clusters, machines);
  const results = new Map<Side, Measured>();
  let idleLine = "";
  const extra = values["clusterform-arg"] ?? [];
  for (const side of ["bare", "file", "controller"] as const) {
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
      machines,
    };
    try {
      process.stderr.write(`${label}: ${side}...\n`);
      if (side === "bare") results.set(side, await bareTerraform(target, { planAfter: clusters === 1 }));
      if (side === "file") results.set(side, await fileMode(target, extra));
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
  const bare = results.get("bare");
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(0);
  const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}x` : "-");
  console.log(`\n${title}`);
  console.log("side        wall s   CPU s  tf runs  peak RSS MB  run RSS MB  max runs  wall/bare  CPU/bare");
  for (const [side, m] of results) {
    console.log(
      `${side.padEnd(10)} ${s(m.wallMs).padStart(7)} ${s(m.cpuMs).padStart(7)} ${String(m.terraformRuns).padStart(8)} ${mb(m.peakRssBytes).padStart(12)} ${mb(m.maxRunRssBytes).padStart(11)} ${String(m.concurrentRuns).padStart(9)} ${ratio(m.wallMs, bare?.wallMs).padStart(10)} ${ratio(m.cpuMs, bare?.cpuMs).padStart(9)}`,
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
