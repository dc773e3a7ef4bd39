import { spawnSync } from "node:child_process";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * A `terraform` that counts its starts: a POSIX sh script appending one line
 * per run to a file, then exec'ing the real binary (same pid, so CPU and RSS
 * accounting see Terraform itself). Every side of the benchmark runs it.
 */
export interface TerraformShim {
  path: string;
  /** Runs started so far, by subcommand. */
  runs(): Promise<Record<string, number>>;
  total(): Promise<number>;
}

export async function terraformShim(dir: string, real = "terraform"): Promise<TerraformShim> {
  const resolved = spawnSync("sh", ["-c", 'command -v "$1"', "sh", real], { encoding: "utf8" }).stdout.trim();
  if (!resolved)
    throw new Error(`cannot find the Terraform binary "${real}" on PATH (set CLUSTERFORM_TERRAFORM_BIN)`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, "terraform");
  const log = join(dir, "runs.log");
  await writeFile(log, "");
  await writeFile(path, `#!/bin/sh\necho "$1" >> '${log}'\nexec '${resolved}' "$@"\n`);
  await chmod(path, 0o755);
  const runs = async () => {
    const counts: Record<string, number> = {};
    for (const line of (await readFile(log, "utf8")).split("\n").filter(Boolean))
      counts[line] = (counts[line] ?? 0) + 1;
    return counts;
  };
  return {
    path,
    runs,
    total: async () => Object.values(await runs()).reduce((a, b) => a + b, 0),
  };
}
