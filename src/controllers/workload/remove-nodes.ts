import type { Machine } from "../../api/machine.js";
import { providerIDKey, type WorkloadObservation } from "../../status/workload.js";
import type { ApiClient } from "../runtime/api-client.js";
import { NodeResource } from "./node-resource.js";

/** What happened to one leaving Machine's Node. */
export interface NodeRemoval {
  machine: string;
  node: string;
  removed: boolean;
  /** Why it was not removed (the workload API's error, or the timeout). */
  error?: string;
}

export interface NodeRemovalAccess {
  client(): ApiClient | undefined;
  observation(): WorkloadObservation | undefined;
}

/**
 * Cordons, then deletes, the Node of each Machine about to lose its
 * instance, so the workload cluster keeps no dead Node. The Node is found by
 * status.nodeRef, else by providerID in the watch's cache. While the workload
 * API does not answer, attempts repeat until `timeoutMs` has passed; then the
 * caller destroys the instance anyway and says so (docs/workload.md).
 * Draining would go between the cordon and the delete (evictions honouring
 * PodDisruptionBudgets, bounded by the same timeout).
 */
export async function removeNodes(
  access: NodeRemovalAccess,
  machines: readonly Machine[],
  timeoutMs: number,
  retryMs = 1000,
): Promise<NodeRemoval[]> {
  const deadline = Date.now() + timeoutMs;
  const results: NodeRemoval[] = [];
  for (const machine of machines) {
    const node = nodeNameOf(machine, access.observation());
    if (!node) continue;
    results.push(await removeOne(access, machine.metadata.name ?? "", node, deadline, retryMs));
  }
  return results;
}

function nodeNameOf(machine: Machine, observation: WorkloadObservation | undefined): string | undefined {
  const ref = machine.status?.nodeRef as { name?: string } | undefined;
  if (ref?.name) return ref.name;
  const providerID = machine.status?.providerID ?? machine.spec.providerID;
  return providerID ? observation?.nodes.get(providerIDKey(providerID))?.name : undefined;
}

async function removeOne(
  access: NodeRemovalAccess,
  machine: string,
  node: string,
  deadline: number,
  retryMs: number,
): Promise<NodeRemoval> {
  let error = "no workload client";
  for (;;) {
    const client = access.client();
    if (client) {
      try {
        await client.patch(NodeResource, undefined, node, "merge", { spec: { unschedulable: true } });
        await client.delete(NodeResource, undefined, node);
        return { machine, node, removed: true };
      } catch (caught) {
        // A Node already gone is what we wanted.
        if ((caught as { statusCode?: number }).statusCode === 404) return { machine, node, removed: true };
        error = caught instanceof Error ? caught.message : String(caught);
      }
    }
    const left = deadline - Date.now();
    if (left <= 0) return { machine, node, removed: false, error };
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryMs, left)));
  }
}
