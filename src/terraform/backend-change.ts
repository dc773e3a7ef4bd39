import { BackendChangedError } from "./errors.js";
import {
  type BackendConfig,
  configuredBackend,
  DEFAULT_LOCAL_STATE,
  initialisedBackend,
  readLocalStateFile,
  stateResourceCount,
} from "./state-files.js";

/**
 * Extra `init` flags for a backend change, decided before Terraform would
 * stop to ask (it cannot: -input=false). Decision (docs/hybrid.md):
 * - first init: none;
 * - same backend (location): `-reconfigure`, so changed partial settings
 *   (credentials from a Secret, rotated or removed) replace the saved ones
 *   instead of stopping init with "Backend configuration changed";
 * - from a local backend whose state holds no resources: `-reconfigure`
 *   (nothing to carry over; the new backend's state, maybe a pipeline's, is used as is);
 * - from a backend that may hold resources: BackendChangedError. Migrating
 *   with `-migrate-state -force-copy` could overwrite a pipeline's state in
 *   the new backend, so it is left to a person.
 */
export async function backendChangeFlags(dir: string, config: unknown): Promise<string[]> {
  const wanted = configuredBackend(config);
  const previous = await initialisedBackend(dir);
  const localResources = await localStateResources(dir, previous);
  if (previous === undefined) {
    // Never initialised with a backend record: only a leftover local state file matters.
    if (wanted.type === "local" || localResources === 0) return [];
    throw new BackendChangedError(dir, "local", describe(wanted));
  }
  if (sameBackend(previous, wanted)) return ["-reconfigure"];
  if (previous.type === "local" && localResources === 0) return ["-reconfigure"];
  throw new BackendChangedError(dir, describe(previous), describe(wanted));
}

/** The settings clusterform writes decide identity; Terraform's record adds every defaulted one. */
function sameBackend(previous: BackendConfig, wanted: BackendConfig): boolean {
  if (previous.type !== wanted.type) return false;
  return Object.entries(wanted.config).every(
    ([key, value]) => typeof value === "object" || previous.config[key] === value,
  );
}

async function localStateResources(dir: string, previous: BackendConfig | undefined): Promise<number> {
  if (previous !== undefined && previous.type !== "local") return 0;
  const path = typeof previous?.config.path === "string" ? previous.config.path : DEFAULT_LOCAL_STATE;
  const text = await readLocalStateFile(dir, path);
  if (text === undefined) return 0;
  // An unreadable state is assumed to matter.
  return stateResourceCount(text) ?? 1;
}

function describe(backend: BackendConfig): string {
  const where = backend.config.bucket ?? backend.config.secret_suffix ?? backend.config.path;
  return typeof where === "string" ? `${backend.type} (${where})` : backend.type;
}
