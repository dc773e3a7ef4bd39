import type { KubernetesObject } from "@kubernetes/client-node";
import type { Machine } from "../../api/machine.js";
import type { MachineSet } from "../../api/machine-set.js";
import { InvalidConfigurationError } from "../../errors.js";
import type { ApiClient } from "../runtime/api-client.js";
import type { ReconcileResult } from "../runtime/controller.js";
import { formatKey, type ObjectKey } from "../runtime/keys.js";
import type { EventRecorder } from "../shared/events.js";
import { checkMachineOwner, formatProblems } from "../shared/owner-checks.js";
import { adopt, release } from "../shared/owner-refs.js";
import { MachineResource, MachineSetResource } from "../shared/resources.js";
import { patchStatus } from "../shared/status-patch.js";
import { claimMachines } from "./claim.js";
import { machinesToDelete } from "./delete-policy.js";
import { machineFromTemplate } from "./machine-template.js";
import { computeSetStatus } from "./status.js";
import { createOutcomeUnknown, type UnconfirmedCreates } from "./unconfirmed-creates.js";

export interface MachineSetReconcilerDeps {
  client: ApiClient;
  recorder?: EventRecorder;
  now?: () => Date;
  /** Creates that got no answer, shared across passes (one per controller). */
  unconfirmed?: UnconfirmedCreates;
}

/** At most this many Machine creations/deletions in flight per set (keeps one pass's burst bounded). */
const BURST = 10;

/**
 * One pass over a MachineSet, level-based, from live reads (not the informer
 * cache, so Machines this controller created a moment ago are never missed
 * and never created twice; creates that got no answer are waited for, see
 * UnconfirmedCreates): adopt matching orphans, release non-matching
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

  // Creates that got no answer may still land: counted as on their way, never created twice.
  const listed = new Set(machines.map((m) => m.metadata.name ?? ""));
  const onTheirWay = deps.unconfirmed?.outstanding(formatKey(key), listed) ?? { count: 0 };
  await scaleTo(deps, set, active, onTheirWay.count);

  const { status, recheckAfterMs } = computeSetStatus(set, active, deps.now?.() ?? new Date());
  await patchStatus(client, MachineSetResource, set, status);
  const recheck = [recheckAfterMs, onTheirWay.recheckAfterMs].filter((ms) => ms !== undefined);
  return recheck.length ? { requeueAfterMs: Math.min(...recheck) } : {};
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
  onTheirWay: number,
) {
  const desired = set.spec.replicas ?? 1;
  const diff = desired - active.length;
  // Machines on their way only hold back creation: deleting for them could delete Machines that never come.
  const toCreate = diff - onTheirWay;
  if (toCreate > 0) {
    const setKey = formatKey({ namespace: set.metadata.namespace, name: set.metadata.name ?? "" });
    const created = await inBatches(Array.from({ length: toCreate }), async () => {
      const machine = machineFromTemplate(set);
      const name = machine.metadata.name ?? "";
      try {
        await deps.client.create(MachineResource, set.metadata.namespace, machine as KubernetesObject);
      } catch (error) {
        if (createOutcomeUnknown(error)) deps.unconfirmed?.expect(setKey, name);
        throw error;
      }
      return name;
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
