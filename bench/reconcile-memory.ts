/**
 * The controller's own memory over many reconciles (not a test), two ways:
 *   converged   passes over one converged cluster (in-memory store, no
 *               Terraform): the model is unchanged, the stack comes from
 *               the StackCache
 *   synthesis   passes whose desired state changes every time (the Machine
 *               count alternates), so every one synthesizes a new stack:
 *               cdktf registers its tokens in a process-global map, which
 *               synthesizeStack empties of them (stacks/token-map.ts)
 * Prints heap used and RSS after a forced GC at checkpoints, the growth per
 * 100 passes between the first and the last checkpoint, and the CPU of one
 * pass (the controller's own: the in-memory store answers where the API
 * server would).
 *
 * Usage: npm run bench:reconcile-memory -- [--passes 1000]
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeAppliedRecord } from "../src/controllers/cluster/applied-record.js";
import { FakeClusterStore } from "../src/controllers/cluster/fake-store.js";
import { CLUSTER_FINALIZER, MACHINE_FINALIZER } from "../src/controllers/cluster/names.js";
import { type ClusterReconcilerDeps, reconcileCluster } from "../src/controllers/cluster/reconcile.js";
import { awsMachine, awsOutputs, testScope } from "../src/controllers/cluster/test-scope.js";
import { validate } from "../src/controllers/cluster/validate.js";
import { StackCache } from "../src/converge/stack-cache.js";
import { awsCluster } from "../src/model/test-objects.js";
import { loadAverage, positiveInt } from "./lib/cli-args.js";

const { values } = parseArgs({ options: { passes: { type: "string", default: "1000" } } });
const passes = positiveInt(values, "passes");
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (npm run bench:reconcile-memory does)");

const key = { namespace: "default", name: "demo" };

interface Sample {
  pass: number;
  heapMb: number;
  rssMb: number;
}

function sample(pass: number): Sample {
  gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { pass, heapMb: heapUsed / 2 ** 20, rssMb: rss / 2 ** 20 };
}

function machines(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const m = awsMachine(`m-${i}`);
    m.metadata = { ...m.metadata, uid: `uid-m-${i}`, finalizers: [MACHINE_FINALIZER] };
    return m;
  });
}

function store(count: number): FakeClusterStore {
  const cluster = awsCluster(key.name, key.namespace);
  cluster.metadata = { ...cluster.metadata, uid: "uid-demo", generation: 1, finalizers: [CLUSTER_FINALIZER] };
  cluster.status = { lastDriftCheck: new Date().toISOString() };
  return new FakeClusterStore(cluster, machines(count));
}

function deps(fake: FakeClusterStore, stacks: StackCache, stateDir: string): ClusterReconcilerDeps {
  return {
    store: fake,
    converge: { stateDir, terraformBin: "/nonexistent/terraform-must-not-run" },
    stacks,
    runLimit: (task) => task(),
    log: () => {},
    driftCheckDue: () => false,
  };
}

/** A converged cluster of 3 Machines, reconciled `passes` times. */
async function converged(stateDir: string): Promise<Run> {
  const stacks = new StackCache();
  const fake = store(3);
  const validation = validate(testScope(fake.machines));
  if (!validation.ok) throw new Error(JSON.stringify(validation.errors));
  await writeAppliedRecord(join(stateDir, key.namespace, key.name), {
    configHash: stacks.synth(validation.model).configHash,
    provider: "aws",
    outputs: awsOutputs({ "m-0": "i-0", "m-1": "i-1", "m-2": "i-2" }),
    appliedAt: new Date().toISOString(),
  });
  return run(passes, async () => {
    await reconcileCluster(deps(fake, stacks, stateDir), key);
  });
}

/** Every pass a changed desired state: one new synthesis each (the StackCache of one controller). */
async function synthesizing(): Promise<Run> {
  const stacks = new StackCache();
  const models = [2, 3].map((count) => {
    const validation = validate(testScope(machines(count)));
    if (!validation.ok) throw new Error(JSON.stringify(validation.errors));
    return validation.model;
  });
  const [two, three] = models;
  if (!two || !three) throw new Error("no models");
  const result = await run(passes, async (pass) => {
    stacks.synth(pass % 2 === 0 ? two : three);
  });
  if (stacks.synthesized < passes) throw new Error(`only ${stacks.synthesized} syntheses`);
  return result;
}

interface Run {
  samples: Sample[];
  /** The process's CPU (user + system) per pass, forced GCs of the checkpoints excluded. */
  cpuMsPerPass: number;
}

async function run(count: number, pass: (i: number) => Promise<void>): Promise<Run> {
  // Warm up (module loading, JIT) before the first checkpoint.
  for (let i = 0; i < 20; i++) await pass(i);
  const checkpoints = new Set([0, count / 10, count / 4, count / 2, count].map(Math.round));
  const samples: Sample[] = [sample(0)];
  let cpuMicros = 0;
  for (let i = 1; i <= count; i++) {
    const before = process.cpuUsage();
    await pass(i);
    const used = process.cpuUsage(before);
    cpuMicros += used.user + used.system;
    if (checkpoints.has(i)) samples.push(sample(i));
  }
  return { samples, cpuMsPerPass: cpuMicros / 1000 / count };
}

function print(label: string, { samples, cpuMsPerPass }: Run): void {
  console.log(`\n${label}`);
  console.log(`  CPU per pass: ${cpuMsPerPass.toFixed(2)} ms`);
  console.log("  passes   heap MB   RSS MB");
  for (const s of samples)
    console.log(
      `  ${String(s.pass).padStart(6)}   ${s.heapMb.toFixed(1).padStart(7)}   ${s.rssMb.toFixed(1).padStart(6)}`,
    );
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.pass === first.pass) return;
  const per100 = (a: number, b: number) => (((b - a) / (last.pass - first.pass)) * 100).toFixed(2);
  console.log(
    `  growth per 100 passes: heap ${per100(first.heapMb, last.heapMb)} MB, RSS ${per100(first.rssMb, last.rssMb)} MB`,
  );
}

const stateDir = await mkdtemp(join(tmpdir(), "cf-bench-memory-"));
try {
  console.log(`reconcile memory, ${passes} passes each, load ${loadAverage()}`);
  print("converged cluster (no synthesis, no Terraform)", await converged(stateDir));
  print("a changed desired state every pass (one synthesis each)", await synthesizing());
} finally {
  await rm(stateDir, { recursive: true, force: true });
}
