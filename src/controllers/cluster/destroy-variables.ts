import { readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Terraform wants a value for every declared variable without a default, even
 * for a destroy, which uses none of them (bootstrap data only feeds instances
 * being created). The last synthesized configuration in the working directory
 * says which are declared; each gets an empty value, so a Cluster whose
 * Machines or Secrets are already gone can still be destroyed.
 */
export async function destroyVariables(workDir: string): Promise<Record<string, string>> {
  let config: { variable?: Record<string, { default?: unknown }> };
  try {
    config = JSON.parse(await readFile(join(workDir, "cdk.tf.json"), "utf8"));
  } catch {
    return {};
  }
  const values: Record<string, string> = {};
  for (const [name, declared] of Object.entries(config.variable ?? {}))
    if (declared?.default === undefined) values[name] = "";
  return values;
}
