import { resolve } from "node:path";
import { execa } from "execa";
import { sandboxAwsEnv } from "../../src/sandbox/moto.js";

const ROOT = resolve(import.meta.dirname, "../..");

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `clusterform` CLI (from source) as a child process, without a terminal. */
export async function runCli(
  args: readonly string[],
  options: { awsEndpoint?: string } = {},
): Promise<CliResult> {
  const result = await execa(
    process.execPath,
    ["--import", "tsx", resolve(ROOT, "src/cli/main.ts"), ...args],
    {
      cwd: ROOT,
      reject: false,
      stdin: "ignore",
      env: options.awsEndpoint ? sandboxAwsEnv(options.awsEndpoint) : {},
      timeout: 600_000,
    },
  );
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export const REPO_ROOT = ROOT;
