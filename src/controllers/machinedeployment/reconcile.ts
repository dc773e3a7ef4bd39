import type { KubernetesObject } from "@kubernetes/client-node";
import type { Machine } from "../../api/machine.js";
import type { MachineDeployment, MachineDeploymentStatus } from "../../api/machine-set.js";
import { selectorToString } from "../../api/selector.js";
import { InvalidConfigurationError } from "../../errors.js";
import { isDeleting } from "../../util/objects.js";
import type { ApiClient } from "../runtime/api-client.js";
import type { ReconcileResult } from "../runtime/controller.js";
import type { ObjectKey } from "../runtime/keys.js";
import type { EventRecorder } from "../shared/events.js";
import { selectorMatcher } from "../shared/labels.js";
import { isMachineReady, msUntilAvailable } from "../shared/machines.js";
import { checkMachineOwner, formatProblems } from "../shared/owner-checks.js";
import { adopt, controllerRefOf } from "../shared/owner-refs.js";
import { MachineDeploymentResource, MachineResource, MachineSetResource } from "../shared/resources.js";
import { patchStatus } from "../shared/status-patch.js";
import {
  type Fenceposts,
  newSetReplicas,
  oldSetsReplicas,
  pausedReplicas,
  resolveFenceposts,
  type SetCounts,
} from "./rolling.js";
import { type LiveMachineSet, machineSetFor, oldestFirst, REVISION_ANNOTATION, revisionOf } from "./sets.js";
import { TEMPLATE_HASH_LABEL, templateHash } from "./template-hash.js";

type LiveDeployment = MachineDeployment & KubernetesObject;
type LiveMachine = Machine & KubernetesObject;

export interface MachineDeploymentReconcilerDeps {
  client: ApiClient;
  recorder?: EventRecorder;
  now?: () => Date;
}

/** Old zero-replica sets kept for rollback when revisionHistoryLimit is unset (Cluster API v1alpha1's default). */
const DEFAULT_REVISION_HISTORY_LIMIT = 1;

/** What one pass sees: the deployment, its sets (oldest first), each set's Machines. */
interface Scope {
  deployment: LiveDeployment;
  desired: number;
  hash: string;
  sets: LiveMachineSet[];
  newSet?: LiveMachineSet;
  machinesBySet: Map<string, LiveMachine[]>;
  now: Date;
}

/**
 * One pass over a MachineDeployment, from live reads: find or create the set
 * for the current template, move replicas from old sets to it within
 * maxSurge/maxUnavailable (or only scale while paused), prune old sets past
 * revisionHistoryLimit, write status. The MachineSet controller does the
 * Machines; this only sets replica counts.
 */
export async function reconcileMachineDeployment(
  deps: MachineDeploymentReconcilerDeps,
  key: ObjectKey,
): Promise<ReconcileResult> {
  const { client } = deps;
  const deployment = await client.find<LiveDeployment>(MachineDeploymentResource, key.namespace, key.name);
  if (!deployment || deployment.metadata.deletionTimestamp) return {};
  const problems = checkMachineOwner(deployment);
  if (problems.length) {
    const message = formatProblems(problems);
    await deps.recorder?.warning(deployment, "InvalidConfiguration", message);
    throw new InvalidConfigurationError(`MachineDeployment ${key.namespace}/${key.name}: ${message}`);
  }
  const scope = await loadScope(deps, deployment);
  let fenceposts: Fenceposts;
  try {
    fenceposts = resolveFenceposts(deployment.spec.strategy?.rollingUpdate, scope.desired);
  } catch (error) {
    throw new InvalidConfigurationError(
      `MachineDeployment ${key.namespace}/${key.name}: ${(error as Error).message}`,
    );
  }

  if (deployment.spec.paused) {
    await applyReplicas(deps, scope, pausedReplicas(scope.desired, counts(scope, [...scope.sets].reverse())));
  } else {
    scope.newSet ??= await createNewSet(deps, scope, fenceposts);
    await syncNewSetRevision(deps, scope);
    await rollOut(deps, scope, fenceposts);
    await pruneHistory(deps, scope);
  }
  const { status, recheckAfterMs } = computeStatus(scope);
  await patchStatus(client, MachineDeploymentResource, deployment, status);
  return recheckAfterMs !== undefined ? { requeueAfterMs: recheckAfterMs } : {};
}

async function loadScope(deps: MachineDeploymentReconcilerDeps, deployment: LiveDeployment): Promise<Scope> {
  const namespace = deployment.metadata.namespace;
  const [setList, machineList] = await Promise.all([
    deps.client.list<LiveMachineSet>(MachineSetResource, namespace),
    deps.client.list<LiveMachine>(MachineResource, namespace),
  ]);
  const sets = setList.items.filter((set) => controllerRefOf(set)?.uid === deployment.metadata.uid);
  // Orphaned sets this deployment selects (left by an orphaning delete, or made by hand) become its own.
  const matches = selectorMatcher(deployment.spec.selector);
  for (const orphan of setList.items.filter(
    (set) => !controllerRefOf(set) && !isDeleting(set) && matches(set),
  )) {
    sets.push(await adopt(deps.client, MachineSetResource, orphan, deployment));
  }
  sets.sort(oldestFirst);
  const machinesBySet = new Map<string, LiveMachine[]>();
  for (const machine of machineList.items) {
    const ref = controllerRefOf(machine);
    if (ref?.kind !== "MachineSet") continue;
    machinesBySet.set(ref.uid, [...(machinesBySet.get(ref.uid) ?? []), machine]);
  }
  const hash = templateHash(deployment.spec.template);
  return {
    deployment,
    desired: deployment.spec.replicas ?? 1,
    hash,
    sets,
    newSet: sets.find((set) => set.metadata.labels?.[TEMPLATE_HASH_LABEL] === hash),
    machinesBySet,
    now: deps.now?.() ?? new Date(),
  };
}

function minReadySeconds(scope: Scope): number {
  return scope.deployment.spec.minReadySeconds ?? 0;
}

function setCounts(scope: Scope, set: LiveMachineSet): SetCounts {
  const machines = scope.machinesBySet.get(set.metadata.uid ?? "") ?? [];
  const replicas = set.spec.replicas ?? 0;
  const available = machines.filter(
    (m) => !isDeleting(m) && msUntilAvailable(m, minReadySeconds(scope), scope.now) === 0,
  ).length;
  return {
    name: set.metadata.name ?? "",
    replicas,
    available: Math.min(available, replicas),
    machines: machines.length,
  };
}

function counts(scope: Scope, sets: readonly LiveMachineSet[]): SetCounts[] {
  return sets.map((set) => setCounts(scope, set));
}

async function createNewSet(
  deps: MachineDeploymentReconcilerDeps,
  scope: Scope,
  fenceposts: Fenceposts,
): Promise<LiveMachineSet> {
  const all = counts(scope, scope.sets);
  const empty: SetCounts = { name: "", replicas: 0, available: 0, machines: 0 };
  const replicas = newSetReplicas(scope.desired, empty, all, fenceposts.maxSurge);
  const revision = Math.max(0, ...scope.sets.map(revisionOf)) + 1;
  const manifest = machineSetFor(scope.deployment, scope.hash, replicas, revision);
  // A set of that name we do not see as ours yet answers 409 AlreadyExists: retried with a fresh read.
  const created = await deps.client.create<LiveMachineSet>(
    MachineSetResource,
    scope.deployment.metadata.namespace,
    manifest as LiveMachineSet,
  );
  await deps.recorder?.normal(
    scope.deployment,
    "ScalingMachineSet",
    `created ${created.metadata.name} with ${replicas} replicas (revision ${revision})`,
  );
  scope.sets.push(created);
  return created;
}

/** The current set carries the highest revision (a rollback to an older template gets a new one). */
async function syncNewSetRevision(deps: MachineDeploymentReconcilerDeps, scope: Scope): Promise<void> {
  const newSet = scope.newSet;
  if (!newSet) return;
  const others = scope.sets.filter((set) => set !== newSet).map(revisionOf);
  const maxOther = Math.max(0, ...others);
  const wanted = revisionOf(newSet) > maxOther ? revisionOf(newSet) : maxOther + 1;
  if (wanted !== revisionOf(newSet)) {
    await deps.client.patch(
      MachineSetResource,
      newSet.metadata.namespace,
      newSet.metadata.name ?? "",
      "merge",
      {
        metadata: { annotations: { [REVISION_ANNOTATION]: String(wanted) } },
      },
    );
    newSet.metadata.annotations = {
      ...(newSet.metadata.annotations ?? {}),
      [REVISION_ANNOTATION]: String(wanted),
    };
  }
  if (scope.deployment.metadata.annotations?.[REVISION_ANNOTATION] !== String(wanted)) {
    await deps.client.patch(
      MachineDeploymentResource,
      scope.deployment.metadata.namespace,
      scope.deployment.metadata.name ?? "",
      "merge",
      {
        metadata: { annotations: { [REVISION_ANNOTATION]: String(wanted) } },
      },
    );
  }
  sortSets(scope);
}

function sortSets(scope: Scope): void {
  scope.sets.sort(oldestFirst);
}

async function rollOut(
  deps: MachineDeploymentReconcilerDeps,
  scope: Scope,
  fenceposts: Fenceposts,
): Promise<void> {
  const newSet = scope.newSet;
  if (!newSet) return;
  const all = counts(scope, scope.sets);
  const newCounts = setCounts(scope, newSet);
  const changes = new Map<string, number>();
  const newReplicas = newSetReplicas(scope.desired, newCounts, all, fenceposts.maxSurge);
  if (newReplicas !== newCounts.replicas) changes.set(newCounts.name, newReplicas);
  const old = counts(
    scope,
    scope.sets.filter((set) => set !== newSet),
  );
  for (const [name, replicas] of oldSetsReplicas(scope.desired, newCounts, old, fenceposts.maxUnavailable)) {
    changes.set(name, replicas);
  }
  await applyReplicas(deps, scope, changes);
}

async function applyReplicas(
  deps: MachineDeploymentReconcilerDeps,
  scope: Scope,
  changes: Map<string, number>,
) {
  for (const set of scope.sets) {
    const replicas = changes.get(set.metadata.name ?? "");
    if (replicas === undefined || replicas === set.spec.replicas) continue;
    await deps.client.patch(MachineSetResource, set.metadata.namespace, set.metadata.name ?? "", "merge", {
      spec: { replicas },
    });
    await deps.recorder?.normal(
      scope.deployment,
      "ScalingMachineSet",
      `scaled ${set.metadata.name} from ${set.spec.replicas ?? 0} to ${replicas}`,
    );
    set.spec.replicas = replicas;
  }
}

/** Deletes old sets that are at zero with no Machines left, beyond revisionHistoryLimit, oldest first. */
async function pruneHistory(deps: MachineDeploymentReconcilerDeps, scope: Scope): Promise<void> {
  const limit = scope.deployment.spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT;
  const idle = scope.sets.filter(
    (set) =>
      set !== scope.newSet &&
      (set.spec.replicas ?? 0) === 0 &&
      (scope.machinesBySet.get(set.metadata.uid ?? "") ?? []).length === 0,
  );
  const excess = idle.slice(0, Math.max(0, idle.length - limit));
  for (const set of excess) {
    await deps.client.delete(MachineSetResource, set.metadata.namespace, set.metadata.name ?? "", {
      uid: set.metadata.uid,
    });
    scope.sets = scope.sets.filter((s) => s !== set);
  }
}

function computeStatus(scope: Scope): { status: MachineDeploymentStatus; recheckAfterMs?: number } {
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  let recheckAfterMs: number | undefined;
  for (const set of scope.sets) {
    const active = (scope.machinesBySet.get(set.metadata.uid ?? "") ?? []).filter((m) => !isDeleting(m));
    replicas += active.length;
    if (set === scope.newSet) updated += active.length;
    for (const machine of active) {
      if (isMachineReady(machine)) ready++;
      const wait = msUntilAvailable(machine, minReadySeconds(scope), scope.now);
      if (wait === 0) available++;
      else if (wait !== undefined) recheckAfterMs = Math.min(recheckAfterMs ?? wait, wait);
    }
  }
  const status: MachineDeploymentStatus = {
    observedGeneration: scope.deployment.metadata.generation ?? 0,
    selector: selectorToString(scope.deployment.spec.selector),
    replicas,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
    unavailableReplicas: Math.max(0, scope.desired - available),
  };
  return { status, ...(recheckAfterMs !== undefined ? { recheckAfterMs: recheckAfterMs + 50 } : {}) };
}
