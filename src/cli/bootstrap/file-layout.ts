import { join } from "node:path";

/**
 * Where file mode keeps a cluster's bootstrap material: a `bootstrap/`
 * directory (0700) in the cluster's private working directory, every file
 * 0600. One place for the layout, so the store, `apply` and
 * `clusterform kubeconfig` agree on it.
 */
export const BOOTSTRAP_DIR_MODE = 0o700;
export const BOOTSTRAP_FILE_MODE = 0o600;

export function bootstrapDir(workDir: string): string {
  return join(workDir, "bootstrap");
}

/** The init machine's name, recorded when the cluster is first planned (never moves). */
export function initMachineFile(workDir: string): string {
  return join(bootstrapDir(workDir), "init-machine");
}

/** The workload cluster's admin kubeconfig, written after an apply that knows the API endpoint. */
export function kubeconfigFile(workDir: string): string {
  return join(bootstrapDir(workDir), "kubeconfig");
}
