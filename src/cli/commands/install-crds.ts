/**
 * `clusterform install-crds`: creates or updates the five CRDs in the cluster
 * the kubeconfig points at (the same objects as `kubectl apply -f crds/`).
 */
import { KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { Command } from "commander";
import { crdManifests } from "../../api/crds.js";
import {
  type ApiClient,
  ApiClient as Client,
  isAlreadyExists,
} from "../../controllers/runtime/api-client.js";
import type { ResourceRef } from "../../controllers/runtime/resource.js";

const CRD_RESOURCE: ResourceRef = {
  group: "apiextensions.k8s.io",
  version: "v1",
  plural: "customresourcedefinitions",
  kind: "CustomResourceDefinition",
  namespaced: false,
};

/** Creates each CRD, or replaces it (keeping its resourceVersion) when it exists. Returns "created"/"updated" per name. */
export async function installCrds(client: ApiClient): Promise<Record<string, "created" | "updated">> {
  const result: Record<string, "created" | "updated"> = {};
  for (const crd of crdManifests()) {
    const name = crd.metadata.name;
    const body = crd as unknown as KubernetesObject;
    try {
      await client.create(CRD_RESOURCE, undefined, body);
      result[name] = "created";
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      const current = await client.get(CRD_RESOURCE, undefined, name);
      await client.replace(CRD_RESOURCE, {
        ...body,
        metadata: { ...body.metadata, resourceVersion: current.metadata?.resourceVersion },
      });
      result[name] = "updated";
    }
  }
  return result;
}

/** The kubeconfig from --kubeconfig, else $KUBECONFIG or ~/.kube/config (client-node's defaults). */
export function loadKubeConfig(file?: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (file) kubeConfig.loadFromFile(file);
  else kubeConfig.loadFromDefault();
  return kubeConfig;
}

export function installCrdsCommand(): Command {
  return new Command("install-crds")
    .description("create or update the cluster.k8s.io CRDs in the cluster the kubeconfig points at")
    .option("--kubeconfig <file>", "kubeconfig to use (default: $KUBECONFIG or ~/.kube/config)")
    .action(async (flags: { kubeconfig?: string }) => {
      const client = new Client(loadKubeConfig(flags.kubeconfig));
      try {
        for (const [name, action] of Object.entries(await installCrds(client))) {
          process.stdout.write(`customresourcedefinition.apiextensions.k8s.io/${name} ${action}\n`);
        }
      } finally {
        client.close();
      }
    });
}
