/**
 * What `clusterform plan show|approve|list` and `status` share: flags for
 * reaching the API server, and reads/writes of Clusters and their plan
 * ConfigMaps through the project's ApiClient.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Command } from "commander";
import type { Cluster } from "../../api/cluster.js";
import { CLUSTER_NAME_LABEL } from "../../api/meta.js";
import { ApiClient } from "../../controllers/runtime/api-client.js";
import type { ResourceRef } from "../../controllers/runtime/resource.js";
import { ClusterResource } from "../../controllers/shared/resources.js";
import { APPROVE_PLAN_ANNOTATION } from "../../plans/approval.js";
import { type ConfigMapLike, joinPlanText, PLAN_OF_LABEL } from "../../plans/plan-configmap.js";
import { ExitCode, UsageError } from "../exit.js";
import { loadKubeConfig } from "./install-crds.js";

export interface KubeFlags {
  kubeconfig?: string;
  namespace?: string;
}

export const ConfigMapResource: ResourceRef = {
  group: "",
  version: "v1",
  plural: "configmaps",
  kind: "ConfigMap",
  namespaced: true,
};

export function addKubeOptions(command: Command): Command {
  return command
    .option("--kubeconfig <file>", "kubeconfig to use (default: $KUBECONFIG or ~/.kube/config)")
    .option(
      "-n, --namespace <ns>",
      "the Cluster's namespace (default: the kubeconfig context's, else default)",
    );
}

/** A client and the namespace to use; close the client when done. */
export function connect(flags: KubeFlags): { client: ApiClient; namespace: string } {
  const kubeConfig = loadKubeConfig(flags.kubeconfig);
  const contextNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
  return { client: new ApiClient(kubeConfig), namespace: flags.namespace ?? contextNamespace ?? "default" };
}

export async function withClient<T>(
  flags: KubeFlags,
  task: (client: ApiClient, namespace: string) => Promise<T>,
) {
  const { client, namespace } = connect(flags);
  try {
    return await task(client, namespace);
  } finally {
    client.close();
  }
}

export async function getCluster(client: ApiClient, namespace: string, name: string): Promise<Cluster> {
  const cluster = await client.find<Cluster & KubernetesObject>(ClusterResource, namespace, name);
  if (!cluster)
    throw new UsageError(
      `Cluster ${namespace}/${name} not found (check the name and -n NAMESPACE)`,
      ExitCode.Invalid,
    );
  return cluster;
}

export interface ShownClusterPlan {
  cluster: Cluster;
  id: string;
  text: string;
}

/** The redacted plan text of the Cluster's plan ConfigMap(s), all parts joined. */
export async function readPlan(
  client: ApiClient,
  namespace: string,
  name: string,
): Promise<ShownClusterPlan> {
  const cluster = await getCluster(client, namespace, name);
  const list = await client.list<ConfigMapLike & KubernetesObject>(ConfigMapResource, namespace, {
    labelSelector: `${PLAN_OF_LABEL}=${name}`,
  });
  if (list.items.length === 0) {
    throw new UsageError(
      `Cluster ${namespace}/${name} has no plan ConfigMap ${name}-plan yet: the controller writes one with every plan that has changes`,
      ExitCode.Failed,
    );
  }
  const text = joinPlanText(list.items);
  const id = list.items[0]?.metadata?.annotations?.["clusterform.io/plan-id"] ?? "";
  return { cluster, id, text };
}

/**
 * Approves the pending plan by annotating the Cluster with its id. Refuses
 * when nothing is pending or `expectedId` is not the pending plan's id: what
 * the reviewer saw must be what gets applied.
 */
export async function approvePlan(
  client: ApiClient,
  namespace: string,
  name: string,
  expectedId?: string,
): Promise<string> {
  const cluster = await getCluster(client, namespace, name);
  const plan = cluster.status?.plan;
  if (plan?.state !== "Pending") {
    throw new UsageError(
      `Cluster ${namespace}/${name} has no pending plan (status.plan.state is ${plan?.state ?? "unset"}): nothing to approve`,
      ExitCode.Declined,
    );
  }
  if (expectedId !== undefined && expectedId !== plan.id) {
    throw new UsageError(
      `the pending plan of Cluster ${namespace}/${name} is ${plan.id}, not ${expectedId}: the spec or state changed since you reviewed; run "clusterform plan show ${name}" and approve the new id`,
      ExitCode.Declined,
    );
  }
  // Guarded by the resourceVersion read: a plan replaced in between makes this fail, not approve the new one.
  await client.patch(ClusterResource, namespace, name, "merge", {
    metadata: {
      resourceVersion: cluster.metadata.resourceVersion,
      annotations: { [APPROVE_PLAN_ANNOTATION]: plan.id },
    },
  });
  return plan.id;
}

/** Clusters whose status.plan is Pending, in one namespace or (undefined) all. */
export async function listPendingPlans(client: ApiClient, namespace: string | undefined): Promise<Cluster[]> {
  const list = await client.list<Cluster & KubernetesObject>(ClusterResource, namespace);
  return list.items
    .filter((c) => c.status?.plan?.state === "Pending")
    .sort((a, b) =>
      `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace}/${b.metadata.name}`,
      ),
    );
}

/** Objects labelled for a cluster (MachineDeployments, MachineSets, Machines). */
export async function listForCluster<T>(
  client: ApiClient,
  resource: ResourceRef,
  namespace: string,
  name: string,
) {
  const list = await client.list<T & KubernetesObject>(resource, namespace, {
    labelSelector: `${CLUSTER_NAME_LABEL}=${name}`,
  });
  return list.items as T[];
}
