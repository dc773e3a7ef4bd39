import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { freemem, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import pLimit from "p-limit";
import { loadModels } from "../../src/cli/manifests.js";
import { DEFAULT_MAX_CONCURRENT_RUNS, memorySlots } from "../../src/converge/run-slots.js";
import { sandboxAwsEnv } from "../../src/sandbox/moto.js";
import { prepareCliConfig } from "../../src/terraform/mirror.js";
import { synthesizeStack } from "../../stacks/index.js";
import { machinesReady } from "./machines-ready.js";
import { peakSampler, processCpuMs, waitedChildrenCpuMs } from "./proc.js";
import type { TerraformShim } from "./terraform-shim.js";

// The three ways to converge the same manifests, each measured the same way.

export const CLI = resolve(import.meta.dirname, "../../dist/src/cli/main.js");

export interface Target {
  manifests: string;
  work: string;
  endpoint: string;
  emulatorPid: number;
  mirror: string;
  shim: TerraformShim;
  /** Machines across all clusters: the controller side is done when that many are Ready. */
  machines: number;
}

export interface Measured {
  wallMs: number;
  cpuMs: number;
  terraformRuns: number;
  peakRssBytes: number;
  maxRunRssBytes: number;
  concurrentRuns: number;
  notes: string[];
}

async function measure(
  target: Target,
  /** The side's processes; undefined: the Terraform runs this benchmark starts itself. */
  roots: (() => readonly number[]) | undefined,
  cpu: () => number,
  body: () => Promise<string[] | undefined>,
): Promise<Measured> {
  const runs0 = await target.shim.runs();
  const sampler = peakSampler(roots ?? (() => [process.pid]), [target.emulatorPid], roots === undefined);
  const cpu0 = cpu();
  const start = performance.now();
  const notes = (await body()) ?? [];
  const wallMs = performance.now() - start;
  const cpuMs = cpu() - cpu0;
  const peak = sampler.stop();
  const runs = Object.entries(await target.shim.runs()).map(
    ([command, n]) => [command, n - (runs0[command] ?? 0)] as const,
  );
  notes.push(`Terraform runs: ${runs.map(([command, n]) => `${command} ${n}`).join(", ")}`);
  return {
    wallMs,
    cpuMs,
    terraformRuns: runs.reduce((sum, [, n]) => sum + n, 0),
    peakRssBytes: peak.rssBytes,
    maxRunRssBytes: peak.maxTerraformRunBytes,
    concurrentRuns: peak.concurrentRuns,
    notes,
  };
}

/**
 * What a pipeline per cluster does: `terraform init` + `apply -auto-approve` of clusterform's own JSON;
 * `reviewed`: `plan -out` + `apply planfile` instead (a pipeline with a review step, answered at once).
 */
export async function bareTerraform(
  target: Target,
  options: { planAfter: boolean; reviewed?: boolean },
): Promise<Measured> {
  const models = await loadModels([target.manifests]);
  const dirs: string[] = [];
  for (const model of models) {
    const dir = join(target.work, "bare", model.namespace, model.name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "cdk.tf.json"), synthesizeStack(model, { awsEndpoint: target.endpoint }).json);
    dirs.push(dir);
  }
  const env = await bareTerraformEnv(target);
  const tf = (dir: string, args: string[]) =>
    execa(target.shim.path, args, { cwd: dir, env, stdio: "ignore" });
  // As many at once as memory allows (~0.8 GB each), at most 16: the issue's baseline.
  const slots = memorySlots(
    { availableBytes: freemem(), totalBytes: totalmem() },
    { cap: DEFAULT_MAX_CONCURRENT_RUNS },
  );
  const limit = pLimit(slots);
  const measured = await measure(target, undefined, waitedChildrenCpuMs, async () => {
    await Promise.all(
      dirs.map((dir) =>
        limit(async () => {
          await tf(dir, ["init", "-input=false"]);
          if (options.reviewed) {
            await tf(dir, ["plan", "-input=false", "-out=reviewed.tfplan"]);
            await tf(dir, ["apply", "-input=false", "reviewed.tfplan"]);
          } else await tf(dir, ["apply", "-auto-approve", "-input=false"]);
        }),
      ),
    );
    return [`${Math.min(slots, dirs.length)} applies at once (memory allows ${slots})`];
  });
  if (options.planAfter && dirs[0]) {
    const plan = await fullPlan(target, dirs[0], env);
    measured.notes.push(
      `a drift check as a full plan: ${(plan.cpuMs / 1000).toFixed(1)} s CPU, ${(plan.wallMs / 1000).toFixed(1)} s wall`,
    );
  }
  return measured;
}

/** The environment of the bare side's Terraform runs: sandbox credentials and the provider mirror. */
export async function bareTerraformEnv(target: Target): Promise<Record<string, string | undefined>> {
  const cli = await prepareCliConfig({
    runnerDir: join(target.work, "bare", ".cli"),
    providerMirror: target.mirror,
    env: process.env,
  });
  return { ...sandboxAwsEnv(target.endpoint), ...cli.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
}

/** One `terraform plan` in an applied directory (a drift check as a full plan): its CPU and wall time. */
export async function fullPlan(
  target: Target,
  dir: string,
  env: Record<string, string | undefined>,
): Promise<{ cpuMs: number; wallMs: number }> {
  const cpu0 = waitedChildrenCpuMs();
  const start = performance.now();
  const result = await execa(target.shim.path, ["plan", "-input=false", "-detailed-exitcode"], {
    cwd: dir,
    env,
    reject: false,
  });
  // -detailed-exitcode: 0 no changes, 2 changes; 1 is a failure.
  if (result.exitCode === 1) throw new Error(`terraform plan failed in ${dir}: ${result.stderr}`);
  return { cpuMs: waitedChildrenCpuMs() - cpu0, wallMs: performance.now() - start };
}

function requireBuiltCli(): void {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run \`npm run build\` first (npm run bench:converge does)`);
}

function terraformFlags(target: Target, stateDir: string): string[] {
  return [
    "--state-dir",
    stateDir,
    "--aws-endpoint",
    target.endpoint,
    "--provider-mirror",
    target.mirror,
    "--terraform-bin",
    target.shim.path,
  ];
}

/** `clusterform apply -f DIR --auto-approve` as a user runs it (the built CLI, one process). */
export async function fileMode(target: Target, extra: readonly string[]): Promise<Measured> {
  requireBuiltCli();
  let pid = 0;
  return measure(
    target,
    () => (pid ? [pid] : []),
    waitedChildrenCpuMs,
    async () => {
      const child = execa(
        process.execPath,
        [
          CLI,
          "apply",
          "-f",
          target.manifests,
          "--auto-approve",
          ...terraformFlags(target, join(target.work, "file")),
          ...extra,
        ],
        { env: sandboxAwsEnv(target.endpoint), stdin: "ignore", all: true, reject: false },
      );
      pid = child.pid ?? 0;
      const result = await child;
      if (result.exitCode !== 0)
        throw new Error(`clusterform apply failed (${result.exitCode}):\n${result.all}`);
      return undefined;
    },
  );
}

export interface ControllerMeasured extends Measured {
  idle: { seconds: number; terraformRuns: number; cpuMs: number };
}

/**
 * `clusterform dev` (control plane + controllers), then `kubectl apply` until every Machine is Ready;
 * then an idle window that starts with one no-op reconcile pass per cluster.
 */
export async function controllerMode(
  target: Target,
  extra: readonly string[],
  idleSeconds: number,
  options: { reviewed?: boolean } = {},
): Promise<ControllerMeasured> {
  requireBuiltCli();
  const kubeconfig = join(target.work, "controller", "kubeconfig");
  const dev = spawn(
    process.execPath,
    [
      CLI,
      "dev",
      "--data-dir",
      join(target.work, "controller", "data"),
      "--kubeconfig-out",
      kubeconfig,
      "--log-level",
      "warn",
      ...terraformFlags(target, join(target.work, "controller", "state")),
      ...(options.reviewed ? ["--default-apply-policy", "manual"] : []),
      ...extra,
    ],
    { env: { ...process.env, ...sandboxAwsEnv(target.endpoint) }, stdio: ["ignore", "ignore", "pipe"] },
  );
  try {
    await waitForLine(dev, /controllers running/, 120_000);
    const pid = dev.pid as number;
    const kubectl = (args: string[]) =>
      execa("kubectl", args, { env: { KUBECONFIG: kubeconfig, HOME: target.work }, all: true });
    const measured = await measure(
      target,
      () => [pid],
      () => processCpuMs(pid),
      async () => {
        await kubectl(["apply", "-f", target.manifests]);
        await machinesReady(kubeconfig, target.machines, 3_600_000, { approve: options.reviewed === true });
        return undefined;
      },
    );
    const runs0 = await target.shim.total();
    const cpu0 = processCpuMs(pid);
    // One reconcile pass per cluster with nothing to change (an annotation the stack ignores), as a resync is.
    await kubectl([
      "annotate",
      "clusters",
      "--all",
      "--overwrite",
      `bench.clusterform.io/poke=${Date.now()}`,
    ]);
    await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    const idle = {
      seconds: idleSeconds,
      terraformRuns: (await target.shim.total()) - runs0,
      cpuMs: processCpuMs(pid) - cpu0,
    };
    return { ...measured, idle };
  } finally {
    const exited = new Promise((r) => dev.once("exit", r));
    dev.kill("SIGTERM");
    await exited;
  }
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`clusterform dev did not start:\n${seen}`)), timeoutMs);
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`clusterform dev exited (${code}):\n${seen}`));
    });
  });
}
