import { EventReason } from "../../api/event-reasons.js";
import type { Machine } from "../../api/machine.js";
import type { WorkloadObservation } from "../../status/workload.js";
import { isDeleting } from "../../util/objects.js";
import type { NodeRemoval } from "../workload/remove-nodes.js";
import type { ClusterKey, ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";

/** The cluster reconciler's window on workload clusters (WorkloadClients in production). */
export interface WorkloadAccess {
  /** Never waits: what is known now, and starts or re-checks the client in the background. */
  observe(cluster: ClusterKey): WorkloadObservation | undefined;
  removeNodes(clusterKey: string, machines: readonly Machine[], timeoutMs: number): Promise<NodeRemoval[]>;
  drop(clusterKey: string): Promise<void>;
}

/** --node-deletion-timeout's default. */
export const DEFAULT_NODE_DELETION_TIMEOUT_MS = 60_000;

/**
 * Before the Terraform run that destroys leaving Machines' instances: their
 * Nodes are cordoned and deleted in the workload cluster, waiting at most
 * timeoutMs for an unreachable API; each Machine hears what happened.
 */
export async function removeLeavingNodes(
  workload: WorkloadAccess,
  store: ClusterStore,
  scope: ClusterScope,
  timeoutMs: number,
): Promise<void> {
  if (!scope.workload || !scope.model) return;
  // An orphaned Machine's instance keeps running (on-delete: orphan): so does its Node.
  const staying = new Set([
    ...scope.model.machines.map((m) => m.name),
    ...(scope.model.orphanedMachines ?? []),
  ]);
  const leaving = scope.machines.filter((m) => isDeleting(m) && !staying.has(m.metadata.name ?? ""));
  if (leaving.length === 0) return;
  const key = `${scope.key.namespace}/${scope.key.name}`;
  const byName = new Map(leaving.map((m) => [m.metadata.name ?? "", m]));
  for (const result of await workload.removeNodes(key, leaving, timeoutMs)) {
    const machine = byName.get(result.machine);
    if (!machine) continue;
    if (result.removed) {
      await store.event(
        machine,
        "Normal",
        EventReason.NodeRemoved,
        `Node ${result.node} cordoned and deleted before the instance is destroyed`,
      );
    } else {
      await store.event(
        machine,
        "Warning",
        EventReason.NodeNotRemoved,
        `Node ${result.node} not removed within ${Math.round(timeoutMs / 1000)}s (${result.error}); the instance is destroyed anyway: delete the Node by hand (kubectl delete node ${result.node}) once the workload API answers`,
      );
    }
  }
}
