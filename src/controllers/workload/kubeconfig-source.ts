import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { KUBECONFIG_SECRET_KEY, kubeconfigSecretName } from "../../bootstrap/index.js";
import type { ApiClient } from "../runtime/api-client.js";
import { SecretResource } from "../runtime/resource.js";
import type { WorkloadOverrides } from "./overrides.js";

/** Where one Cluster's workload kubeconfig came from, and a fingerprint to notice it changing. */
export interface WorkloadKubeConfig {
  kubeConfig: KubeConfig;
  /** The API server address tried (shown in conditions; never the credentials). */
  address: string;
  /** sha256 of the kubeconfig text: a new value means a new client. */
  fingerprint: string;
  source: string;
}

/**
 * The override file when one is configured for the Cluster, else its
 * `<cluster>-kubeconfig` Secret; undefined when neither exists (the cluster
 * has no workload API to read yet, or bootstrap is disabled for it).
 */
export async function loadWorkloadKubeConfig(
  management: ApiClient,
  cluster: { namespace: string; name: string },
  overrides: WorkloadOverrides,
): Promise<WorkloadKubeConfig | undefined> {
  const override = overrides.get(`${cluster.namespace}/${cluster.name}`);
  if (override) return parse(await readFile(override, "utf8"), `file ${override}`);
  const name = kubeconfigSecretName(cluster.name);
  const secret = await management.find<KubernetesObject & { data?: Record<string, string> }>(
    SecretResource,
    cluster.namespace,
    name,
  );
  const value = secret?.data?.[KUBECONFIG_SECRET_KEY];
  if (!value) return undefined;
  return parse(Buffer.from(value, "base64").toString("utf8"), `Secret ${cluster.namespace}/${name}`);
}

function parse(text: string, source: string): WorkloadKubeConfig {
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromString(text);
  } catch (error) {
    throw new Error(
      `${source} is not a kubeconfig: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const address = kubeConfig.getCurrentCluster()?.server;
  if (!address) throw new Error(`${source} names no current cluster server`);
  return { kubeConfig, address, fingerprint: createHash("sha256").update(text).digest("hex"), source };
}
