import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { hashValue } from "../util/hash.js";

/**
 * `terraform init` costs a process start and, the first time, hashing the
 * provider. It only needs to run again when what it installs or configures
 * changes: the terraform block (required providers, backend), the providers
 * and modules the configuration uses, the CLI config or the binary. That set
 * is hashed into `.runner/init.json`; a match means init is skipped.
 */

export function initFingerprint(
  config: unknown,
  binary: string,
  cliConfigText: string | undefined,
  /** Digest of the partial backend configuration (credentials), when there is one. */
  backendCredentialsDigest?: string,
): string {
  const root = (config ?? {}) as Record<string, unknown>;
  const modules = Object.values(
    (root.module ?? {}) as Record<string, { source?: unknown; version?: unknown }>,
  );
  const relevant = {
    binary,
    cliConfig: cliConfigText ?? null,
    backendCredentials: backendCredentialsDigest ?? null,
    terraform: root.terraform ?? null,
    providers: Object.keys((root.provider ?? {}) as object).sort(),
    modules: modules.map((m) => [m.source ?? null, m.version ?? null]).sort(),
  };
  return hashValue(relevant);
}

export async function isInitialised(dir: string, runnerDir: string, fingerprint: string): Promise<boolean> {
  if (!existsSync(join(dir, ".terraform")) || !existsSync(join(dir, ".terraform.lock.hcl"))) return false;
  const recorded = await readFile(join(runnerDir, "init.json"), "utf8").catch(() => "");
  try {
    return (JSON.parse(recorded) as { fingerprint?: string }).fingerprint === fingerprint;
  } catch {
    return false;
  }
}

export async function recordInit(runnerDir: string, fingerprint: string): Promise<void> {
  await writeFile(join(runnerDir, "init.json"), `${JSON.stringify({ fingerprint })}\n`);
}
