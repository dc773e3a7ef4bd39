import { readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The files of a working directory that say where the state is and what it
 * holds: the configuration's backend block, Terraform's record of the backend
 * it initialised, and a local state file. Only the runner and the per-cluster
 * façade (src/converge/cluster-terraform.ts) read them.
 */

export interface BackendConfig {
  type: string;
  config: Record<string, unknown>;
}

/** Terraform's default local state file (the local backend without a path). */
export const DEFAULT_LOCAL_STATE = "terraform.tfstate";

/** The backend block of a parsed configuration; local when there is none. */
export function configuredBackend(config: unknown): BackendConfig {
  const backend = ((config as { terraform?: { backend?: Record<string, Record<string, unknown>> } })
    ?.terraform?.backend ?? {}) as Record<string, Record<string, unknown>>;
  const [type = "local", settings = {}] = Object.entries(backend)[0] ?? [];
  return { type, config: settings };
}

/** Terraform's record of the backend it initialised (`.terraform/terraform.tfstate`). */
export async function initialisedBackend(dir: string): Promise<BackendConfig | undefined> {
  const text = await readFile(join(dir, ".terraform", "terraform.tfstate"), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const record = JSON.parse(text) as { backend?: { type?: string; config?: Record<string, unknown> } };
    if (!record.backend?.type) return undefined;
    return { type: record.backend.type, config: record.backend.config ?? {} };
  } catch {
    return undefined;
  }
}

/** The local state file's text (path relative to `dir`); undefined when there is none. */
export function readLocalStateFile(dir: string, path = DEFAULT_LOCAL_STATE): Promise<string | undefined> {
  return readFile(join(dir, path), "utf8").catch(() => undefined);
}

/** Resources in a state's text (a state without the list holds none); undefined when it is not JSON. */
export function stateResourceCount(text: string): number | undefined {
  try {
    const resources = (JSON.parse(text) as { resources?: unknown }).resources;
    return Array.isArray(resources) ? resources.length : 0;
  } catch {
    return undefined;
  }
}

/**
 * Whether anything may exist in the cloud for this working directory:
 * resources in its local state. With a remote backend (s3, kubernetes) the
 * state lives elsewhere: true, and Terraform is asked (a destroy plan finds
 * nothing when the state is empty). Unreadable files never mean "nothing".
 */
export async function mayHoldResources(dir: string, configFile: string): Promise<boolean> {
  const configText = await readFile(join(dir, configFile), "utf8").catch(() => undefined);
  let path = DEFAULT_LOCAL_STATE;
  if (configText !== undefined) {
    let backend: BackendConfig;
    try {
      backend = configuredBackend(JSON.parse(configText));
    } catch {
      return true;
    }
    if (backend.type !== "local") return true;
    if (typeof backend.config.path === "string") path = backend.config.path;
  }
  const text = await readLocalStateFile(dir, path);
  if (text === undefined) return false;
  return (stateResourceCount(text) ?? 1) > 0;
}
