/**
 * `--workload-kubeconfig-override <namespace>/<cluster>=<file>`: the kubeconfig
 * to reach one Cluster's workload API instead of its `<cluster>-kubeconfig`
 * Secret (air-gapped setups where the management cluster reaches workload
 * APIs through another address; tests with a second embedded control plane).
 */
export type WorkloadOverrides = ReadonlyMap<string, string>;

export function parseWorkloadOverride(text: string): { cluster: string; file: string } {
  const match = /^([a-z0-9][a-z0-9.-]*)\/([a-z0-9][a-z0-9.-]*)=(.+)$/.exec(text);
  if (!match) {
    throw new Error(
      `--workload-kubeconfig-override: expected <namespace>/<cluster>=<kubeconfig file>, got "${text}"`,
    );
  }
  return { cluster: `${match[1]}/${match[2]}`, file: match[3] as string };
}

/** Collects repeated flags into one map (commander's option reducer). */
export function collectWorkloadOverride(
  text: string,
  previous: Map<string, string> = new Map(),
): Map<string, string> {
  const { cluster, file } = parseWorkloadOverride(text);
  return new Map(previous).set(cluster, file);
}
