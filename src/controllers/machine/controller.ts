import type { KubernetesObject } from "@kubernetes/client-node";
import type { Cluster } from "../../api/cluster.js";
import type { Machine } from "../../api/machine.js";
import { CLUSTER_NAME_LABEL, type Condition } from "../../api/meta.js";
import { type ApiClient, ApiError } from "../runtime/api-client.js";
import { Controller } from "../runtime/controller.js";
import { keyOf } from "../runtime/keys.js";
import type { Manager } from "../runtime/manager.js";
import { EventRecorder } from "../shared/events.js";
import { ClusterResource, MachineResource } from "../shared/resources.js";
import { clusterRefProblem, clusterRefUpdate } from "./cluster-ref.js";

type MachineObject = Machine & KubernetesObject;

/**
 * Machines that name no Cluster (no cluster label, or a Cluster that does
 * not exist) are provisioned by nobody: this controller says so on the
 * Machine (Ready=False, reason ClusterNotFound, and a Warning Event once per
 * verdict) and clears it when the Cluster appears. Key = Machine; a Cluster
 * enqueues the Machines labelled for it.
 */
export function machineClusterController(manager: Manager): Controller {
  const machines = manager.informer<MachineObject>(MachineResource);
  const clusters = manager.informer<Cluster & KubernetesObject>(ClusterResource);
  const recorder = new EventRecorder(manager.client, "clusterform-machine", manager.logger);
  const controller = new Controller({
    name: "machine-cluster",
    maxConcurrent: 1,
    logger: manager.logger,
    reconcile: async (key) => {
      const machine = machines.get(key.name, key.namespace);
      if (!machine || machine.metadata.deletionTimestamp) return;
      const namespace = machine.metadata.namespace ?? "default";
      const clusterName = machine.metadata.labels?.[CLUSTER_NAME_LABEL]?.trim();
      // The cache may lag a Cluster created together with its Machines: ask the API before reporting.
      const exists =
        clusterName !== undefined &&
        (clusters.get(clusterName, namespace) !== undefined ||
          (await manager.client.find(ClusterResource, namespace, clusterName)) !== undefined);
      const problem = clusterRefProblem(machine, () => exists);
      const update = clusterRefUpdate(
        machine.status?.conditions,
        problem,
        `${namespace}/${clusterName}`,
        new Date(),
      );
      if (!update) return;
      await writeConditions(manager.client, machine, update.conditions);
      await recorder.record(machine, update.event.type, update.event.reason, update.event.message);
    },
  });
  controller.watch(machines);
  controller.watch(clusters, (cluster) =>
    machines
      .list(cluster.metadata?.namespace)
      .filter((m) => m.metadata.labels?.[CLUSTER_NAME_LABEL] === cluster.metadata?.name)
      .map((m) => keyOf(m)),
  );
  return controller;
}

/**
 * Only if the Machine is still as read: the cluster controller may have
 * written its own Ready meanwhile, which must not be overwritten (a failed
 * test is a retryable conflict; the retry reads the new status).
 */
async function writeConditions(
  client: ApiClient,
  machine: MachineObject,
  conditions: Condition[],
): Promise<void> {
  const { namespace, name, resourceVersion } = machine.metadata;
  const patch = [
    { op: "test", path: "/metadata/resourceVersion", value: resourceVersion },
    { op: "add", path: "/status", value: { ...machine.status, conditions } },
  ];
  try {
    await client.patch(MachineResource, namespace, name ?? "", "json", patch, "status");
  } catch (error) {
    if (error instanceof ApiError && error.statusCode === 422)
      throw new ApiError(409, "Conflict", `Machine ${namespace}/${name} changed since it was read; retrying`);
    throw error;
  }
}
