import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
const CACHE = resolve(ROOT, ".cache/cloud-init");
const UNPACKED = resolve(CACHE, "root");
const PYTHON = "/usr/bin/python3";

export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Debian bookworm's cloud-init (22.4), unpacked by scripts/fetch-cloud-init.sh
 * (never installed), run with the machine's python3. Fetched here when the
 * cache is missing; a machine that cannot fetch it fails the test with the
 * script's reason (CI must not skip the check).
 */
export function ensureCloudInit(): void {
  if (existsSync(resolve(CACHE, ".complete"))) return;
  const fetched = spawnSync(resolve(ROOT, "scripts/fetch-cloud-init.sh"), [CACHE], { encoding: "utf8" });
  if (fetched.status !== 0) {
    throw new Error(
      `the cloud-init schema validator is missing and scripts/fetch-cloud-init.sh could not fetch it: ${fetched.stderr.trim() || fetched.error?.message}`,
    );
  }
}

/** Runs cloud-init's own Python with `args` (e.g. ["schema", "--config-file", F]). */
export function runCloudInit(args: readonly string[]): CommandResult {
  return runPython([resolve(UNPACKED, "usr/bin/cloud-init"), ...args]);
}

/** Runs python3 with cloud-init's unpacked packages importable. */
export function runPython(args: readonly string[], input?: string): CommandResult {
  const result = spawnSync(PYTHON, args, {
    encoding: "utf8",
    input,
    env: {
      ...process.env,
      PYTHONPATH: resolve(UNPACKED, "usr/lib/python3/dist-packages"),
      PYTHONNOUSERSITE: "1",
    },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
