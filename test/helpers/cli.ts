import { resolve } from "node:path";
import { execa } from "execa";
import { sandboxAwsEnv } from "../../src/sandbox/moto.js";

const ROOT = resolve(import.meta.dirname, "../..");

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Starts the real `clusterform` CLI (from source) as a child process, without a terminal; never rejects. */
export function startCli(
  args: readonly string[],
  options: { awsEndpoint?: string; env?: Record<string, string>; timeout?: number } = {},
) {
  return execa(process.execPath, ["--import", "tsx", resolve(ROOT, "src/cli/main.ts"), ...args], {
    cwd: ROOT,
    reject: false,
    stdin: "ignore",
    env: { ...(options.awsEndpoint ? sandboxAwsEnv(options.awsEndpoint) : {}), ...options.env },
    ...(options.timeout ? { timeout: options.timeout } : {}),
  });
}

/** Runs the real `clusterform` CLI (from source) to its end. */
export async function runCli(
  args: readonly string[],
  options: { awsEndpoint?: string } = {},
): Promise<CliResult> {
  const result = await startCli(args, { ...options, timeout: 600_000 });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export const REPO_ROOT = ROOT;

/** Where a file-mode command runs against the AWS emulator. */
export interface SandboxTarget {
  /** Manifest file or folder (-f). */
  file: string;
  stateDir: string;
  endpoint: string;
  providerMirror: string;
}

/** `clusterform COMMAND -f … --state-dir … --aws-endpoint … --provider-mirror … EXTRA…` with the emulator's credentials. */
export function runSandboxCli(
  command: string,
  target: SandboxTarget,
  ...extra: string[]
): Promise<CliResult> {
  return runCli(
    [
      command,
      "-f",
      target.file,
      "--state-dir",
      target.stateDir,
      "--aws-endpoint",
      target.endpoint,
      "--provider-mirror",
      target.providerMirror,
      ...extra,
    ],
    { awsEndpoint: target.endpoint },
  );
}
