import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { sha256 } from "../util/hash.js";
import { escapeTerraformTemplate } from "../util/terraform-template.js";

/**
 * Backend credentials kept out of the configuration: Terraform's partial
 * backend configuration (`init -backend-config=FILE`). The file lives in the
 * working directory's private `.runner/` (0600); Terraform keeps the values
 * in `.terraform/terraform.tfstate`, as for any partial configuration, so the
 * state directory must stay private (it holds the state anyway).
 */
export const BACKEND_CREDENTIALS_FILE = "backend-credentials.tfbackend";

/** Writes (or removes, when there are none) the credentials file; returns its path and a digest for the init fingerprint. */
export async function writeBackendCredentials(
  runnerDir: string,
  settings: Readonly<Record<string, string>> | undefined,
): Promise<{ path: string; digest: string } | undefined> {
  const path = join(runnerDir, BACKEND_CREDENTIALS_FILE);
  const entries = Object.entries(settings ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length === 0) {
    await rm(path, { force: true });
    return undefined;
  }
  const text = entries.map(([name, value]) => `${name} = ${hclString(value)}\n`).join("");
  await writeFile(path, text, { mode: 0o600 });
  return { path, digest: sha256(text) };
}

/** A quoted HCL string: JSON's escapes are HCL's; template sequences are escaped so nothing is interpolated. */
function hclString(value: string): string {
  return JSON.stringify(escapeTerraformTemplate(value));
}
