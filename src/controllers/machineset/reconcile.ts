import type { KubernetesObject } from "@kubernetes/client-node";
import type { Machine } from "../../api/machine.js";
import type { MachineSet } from "../../api/machine-set.js";
import { InvalidConfigurationError } from "../../errors.js";
import type { ApiClient } from "../runtime/api-client.js";
import type { ReconcileResult } from "../runtime/controller.js";
import type { ObjectKey } from "../runtime/keys.js";
import type { EventRecorder } from "../shared/events.js";
import { checkMachineOwner, formatProblems } from "../shared/owner-checks.js";
import { adopt, release } from "../shared/owner-refs.js";
import { MachineResource, MachineSetResource } from "../shared/resources.js";
import { patchStatus } from "../shared/status-patch.js";
import { claimMachines } from "./claim.js";
import { machinesToDelete } from "./delete-policy.js";
import { machineFromTemplate } from "./machine-template.js";
import { computeSetStatus } from "./status.js";

export interface MachineSetReconcilerDeps {
  client: ApiClient;
  recorder?: EventRecorder;
  now?: () => Date;
}

/** At most this many Machine creations/deletions in flight per set (keeps one pass's burst bounded). */
const BURST = 10;

/**
 * One pass over a MachineSet, level-based, from live reads (not the informer
 * cache, so Machines this controller created a moment ago are never missed
 * and never created twice): adopt matching orphans, release non-matching
 * Machines, create or delete Machines to reach spec.replicas, write status.
 */
export async function reconcileMachineSet(
  deps: MachineSetReconcilerDeps,
  key: ObjectKey,
): Promise<ReconcileResult> {
  const { client } = deps;
  const set = await client.find<MachineSet & KubernetesObject>(MachineSetResource, key.namespace, key.name);
  // Gone, or going: garbage collection removes its Machines through their ownerReferences.
  if (!set || set.metadata.deletionTimestamp) return {};
  const problems = checkMachineOwner(set);
  if (problems.length) return refuseInvalid(deps, set, formatProblems(problems));
  const machines = (await client.list<Machine & KubernetesObject>(MachineResource, key.namespace)).items;
  const claim = claimMachines(set, machines);

  for (const machine of claim.release)
    await release(client, MachineResource, machine as KubernetesObject, set);
  const active = [...claim.active];
  for (const machine of claim.adopt) {
    active.push(
      (await adopt(client, MachineResource, machine as KubernetesObject, set)) as Machine & KubernetesObject,
    );
  }
  if (claim.adopt.length) {
    await deps.recorder?.normal(
      set,
      "Adopted",
      `adopted ${claim.adopt.map((m) => m.metadata.name).join(", ")}`,
    );
  }

  await scaleTo(deps, set, active);

  const { status, recheckAfterMs } = computeSetStatus(set, active, deps.now?.() ?? new Date());
  await patchStatus(client, MachineSetResource, set, status);
  return recheckAfterMs !== undefined ? { requeueAfterMs: recheckAfterMs } : {};
}

/** Records why the set cannot be acted on, in status and an Event, and stops retrying until it changes. */
async function refuseInvalid(
  deps: MachineSetReconcilerDeps,
  set: MachineSet & KubernetesObject,
  message: string,
): Promise<never> {
  const now = deps.now?.() ?? new Date();
  const { status } = computeSetStatus(set, [], now);
  await patchStatus(deps.client, MachineSetResource, set, {
    ...status,
    replicas: set.status?.replicas ?? 0,
    errorReason: "InvalidConfiguration",
    errorMessage: message,
  });
  await deps.recorder?.warning(set, "InvalidConfiguration", message);
  throw new InvalidConfigurationError(
    `MachineSet ${set.metadata.namespace}/${set.metadata.name}: ${message}`,
  );
}

async function scaleTo(
  deps: MachineSetReconcilerDeps,
  set: MachineSet & KubernetesObject,
  active: Machine[],
) {
  const desired = set.spec.replicas ?? 1;
  const diff = desired - active.length;
  if (diff > 0) {
    const created = await inBatches(Array.from({ length: diff }), async () => {
      const machine = machineFromTemplate(set);
      await deps.client.create(MachineResource, set.metadata.namespace, machine as KubernetesObject);
      return machine.metadata.name ?? "";
    });
    await deps.recorder?.normal(set, "SuccessfulCreate", `created ${created.length}: ${created.join(", ")}`);
  } else if (diff < 0) {
    const doomed = machinesToDelete(active, -diff, set.spec.deletePolicy);
    const deleted = await inBatches(doomed, async (machine) => {
      await deps.client.delete(MachineResource, machine.metadata.namespace, machine.metadata.name ?? "", {
        uid: machine.metadata.uid,
      });
      return machine.metadata.name ?? "";
    });
    await deps.recorder?.normal(set, "SuccessfulDelete", `deleted ${deleted.length}: ${deleted.join(", ")}`);
  }
}

async function inBatches<T, R>(items: readonly T[], action: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let index = 0; index < items.length; index += BURST) {
    results.push(...(await Promise.all(items.slice(index, index + BURST).map(action))));
  }
  return results;
}
