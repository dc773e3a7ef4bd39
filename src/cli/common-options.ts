import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Command, Option } from "commander";
import type { ConvergeOptions } from "../converge/options.js";
import { DEFAULT_MAX_CONCURRENT_RUNS } from "../converge/run-slots.js";
import { sandboxAwsEnv, startMotoServer } from "../sandbox/moto.js";
import { DEFAULT_MAX_PARALLELISM } from "../terraform/parallelism.js";
import type { Reporter } from "./reporter.js";

/** Flags every Terraform-running command takes. */
export interface CommonFlags {
  file: string[];
  stateDir: string;
  awsEndpoint?: string;
  awsSandbox?: boolean;
  providerMirror?: string;
  terraformBin?: string;
  maxConcurrentRuns: number;
  maxParallelism: number;
}

export function addManifestOption(command: Command): Command {
  return command.requiredOption("-f, --file <path...>", "manifest files or directories (YAML or JSON)");
}

export function addTerraformOptions(command: Command): Command {
  return command
    .option("--state-dir <dir>", "per-cluster Terraform working directories and state", ".clusterform")
    .option(
      "--aws-endpoint <url>",
      "send every AWS API call to this endpoint (an emulator or AWS-compatible API)",
    )
    .option(
      "--aws-sandbox",
      "start the local AWS emulator (moto) on loopback for this command; nothing real is touched",
    )
    .option("--provider-mirror <dir>", "install Terraform providers from this filesystem mirror")
    .addOption(
      new Option("--terraform-bin <bin>", "terraform, tofu, or a path").env("CLUSTERFORM_TERRAFORM_BIN"),
    )
    .addOption(
      new Option(
        "--max-concurrent-runs <n>",
        "upper bound of Terraform runs at once; below it free memory (~0.8 GB a run) and idle CPU decide",
      )
        .default(DEFAULT_MAX_CONCURRENT_RUNS)
        .argParser((v) => positiveInt(v, "--max-concurrent-runs")),
    )
    .addOption(
      new Option(
        "--max-parallelism <n>",
        "upper bound of Terraform's -parallelism per apply (keep within the cloud API's rate limits); the value follows the plan's size",
      )
        .default(DEFAULT_MAX_PARALLELISM)
        .argParser((v) => positiveInt(v, "--max-parallelism")),
    );
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${value}`);
  return n;
}

/** Converge options from the flags; starts the sandbox emulator when asked (stopped by the returned close). */
export async function convergeOptionsFrom(
  flags: CommonFlags,
  reporter: Reporter,
): Promise<{ options: ConvergeOptions; close: () => Promise<void> }> {
  const base: ConvergeOptions = {
    stateDir: resolve(flags.stateDir),
    ...(flags.awsEndpoint ? { awsEndpoint: flags.awsEndpoint } : {}),
    ...(flags.terraformBin ? { terraformBin: flags.terraformBin } : {}),
    maxParallelism: flags.maxParallelism,
    ...(flags.providerMirror ? { providerMirror: resolve(flags.providerMirror) } : {}),
    onEvent: (cluster, event) => reporter.terraformEvent(cluster, event),
  };
  if (!flags.awsSandbox) return { options: base, close: async () => {} };
  if (flags.awsEndpoint) throw new Error("--aws-sandbox and --aws-endpoint exclude each other: pick one");

  const server = await startMotoServer();
  reporter.notice(
    `AWS SANDBOX: every AWS call goes to a local emulator at ${server.endpoint}; nothing real is created, and everything is forgotten when this command ends.`,
  );
  // The emulator forgets everything when it stops, so state from an earlier sandbox is stale.
  const stateDir = join(base.stateDir, "sandbox");
  await rm(stateDir, { recursive: true, force: true });
  return {
    options: {
      ...base,
      stateDir,
      awsEndpoint: server.endpoint,
      env: { ...process.env, ...sandboxAwsEnv(server.endpoint) },
    },
    close: () => server.stop(),
  };
}
