import type { FieldError } from "../../api/field-error.js";
import type { Machine, MachineStatus } from "../../api/machine.js";
import { Reason } from "../../api/reasons.js";
import { type ComputedStatuses, composeStatuses } from "../../status/compose.js";
import type { ObservedError, PassObservations } from "../../status/observations.js";
import { canonicalJson } from "../../util/canonical-json.js";
import { isDeleting } from "../../util/objects.js";
import { writeEach } from "../shared/bounded-writes.js";
import { lostInstances } from "./lost-instances.js";
import type { ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";
import { describeErrors } from "./validate.js";

/** Every object's status from what the scope learned (status/compose.ts decides; this only gathers). */
export function computeStatuses(scope: ClusterScope, now: Date): ComputedStatuses {
  return composeStatuses(observationsOf(scope, now));
}

/** The pass's observations, read off the scope: the one place a new observation is wired in. */
export function observationsOf(scope: ClusterScope, now: Date): PassObservations {
  const provider = scope.model?.provider ?? scope.applied?.provider;
  const lost = lostInstances(scope);
  return {
    now,
    cluster: scope.cluster,
    machines: scope.machines,
    ...(scope.model ? { stackMachines: scope.model.machines.map((m) => m.name) } : {}),
    ...(provider ? { provider } : {}),
    ...(scope.outputs ? { outputs: scope.outputs } : {}),
    provisioning: scope.provisioning,
    ...(scope.invalid
      ? invalidConfiguration(scope, scope.invalid)
      : scope.error
        ? { error: scope.error }
        : {}),
    ...waitingForTokens(scope),
    ...(scope.plan ? { plan: scope.plan } : {}),
    ...(scope.planPending ? { held: scope.planPending } : {}),
    ...(scope.drift ? { drift: scope.drift } : {}),
    ...(lost.size > 0 ? { lost } : {}),
    ...(scope.stateLock ? { stateLock: scope.stateLock } : {}),
    ...bootstrapObservation(scope),
    ...(scope.workload ? { workload: scope.workload } : {}),
    ...(scope.nodeStartupTimeoutMs !== undefined ? { nodeStartupTimeoutMs: scope.nodeStartupTimeoutMs } : {}),
  };
}

/** The bootstrap step's outcome for the Bootstrap condition (its secrets stay in the scope). */
export function bootstrapObservation(scope: ClusterScope): Pick<PassObservations, "bootstrap"> {
  const observed = scope.bootstrap;
  if (!observed || observed.state === "invalid") return {};
  return {
    bootstrap: {
      state: observed.state,
      warnings: observed.warnings,
      ...(observed.message ? { message: observed.message } : {}),
    },
  };
}

/** Late joiners left out of the stack until they have a bootstrap token: they wait, nothing failed. */
function waitingForTokens(scope: ClusterScope): Pick<PassObservations, "machineErrors"> {
  const waiting = scope.bootstrap?.waiting;
  if (!waiting || waiting.size === 0) return {};
  const machineErrors = new Map<string, ObservedError>();
  for (const [name, message] of waiting)
    machineErrors.set(name, { reason: Reason.WaitingForBootstrapToken, message, terminal: false });
  return { machineErrors };
}

/**
 * The errors of an invalid cluster, as each object shows them: the Cluster
 * lists every problem; a Machine with its own problems fails with them; the
 * others wait (Ready=False, no terminal error: nothing is wrong with them).
 */
function invalidConfiguration(
  scope: ClusterScope,
  errors: readonly FieldError[],
): Pick<PassObservations, "error" | "machineErrors"> {
  const waiting: ObservedError = {
    reason: Reason.InvalidConfiguration,
    message: `Cluster ${scope.key.namespace}/${scope.key.name} has invalid configuration; see its status`,
    terminal: false,
  };
  const machineErrors = new Map<string, ObservedError>();
  for (const machine of scope.machines) {
    const name = machine.metadata.name ?? "";
    const own = describeErrors(errors, { kind: "Machine", name });
    machineErrors.set(
      name,
      own ? { reason: Reason.InvalidConfiguration, message: own, terminal: true } : waiting,
    );
  }
  return {
    error: { reason: Reason.InvalidConfiguration, message: describeErrors(errors), terminal: true },
    machineErrors,
  };
}

/**
 * Patches each status that changed (lastUpdated aside), after copying
 * providerID into spec once (Cluster API's convention). That copy moves the
 * Machine's generation but nothing its status depends on, so the status
 * written after it observes the new generation (`kubectl wait` ignores
 * conditions of an older generation). Its watch event buys no pass of its
 * own (machine-predicate.ts).
 *
 * The copy carries the resourceVersion this pass read (kube-store.ts): of
 * the two ways to keep observedGeneration honest, that one also keeps the
 * guard of the status write that follows (a copy taking the server's newest
 * resourceVersion would let that write pass over a concurrent writer's
 * conditions); merely checking that the new generation is the old + 1 would
 * not. When it conflicts, someone changed the Machine during the pass: its
 * status is written for the generation this pass saw, and the copy is left
 * to the next pass (providerIDCopyOwed makes nextCheck come back soon).
 */
export async function writeStatuses(store: ClusterStore, computed: ComputedStatuses): Promise<void> {
  const { cluster } = computed;
  if (changed(cluster.object.status, cluster.status)) {
    await store.patchClusterStatus(cluster.object, cluster.status);
    // The scope's copy now holds what the server holds: the next write compares with it.
    cluster.object.status = cluster.status;
  }
  // Each Machine's writes stay in order (the providerID copy, then the status observing its generation).
  await writeEach(computed.machines, async ({ object, status: computedStatus }) => {
    let status = computedStatus;
    if (status.providerID && copyOwed(object, status.providerID)) {
      const before = object.metadata.generation;
      if (await store.patchMachineProviderID(object, status.providerID)) {
        object.spec = { ...object.spec, providerID: status.providerID };
        status = observingGeneration(status, before, object.metadata.generation);
      }
    }
    if (changed(object.status, status)) {
      await store.patchMachineStatus(object, status);
      object.status = status;
    }
  });
}

/** How soon the pass after a conflicting providerID copy comes (it re-reads the Machine and copies again). */
export const PROVIDER_ID_COPY_RETRY_MS = 1_000;

/** A Machine whose status knows its provider ID but whose spec does not say it yet (nor ever will: being deleted). */
export function providerIDCopyOwed(machine: Machine): boolean {
  const providerID = machine.status?.providerID;
  return providerID !== undefined && copyOwed(machine, providerID);
}

function copyOwed(machine: Machine, providerID: string): boolean {
  return machine.spec.providerID !== providerID && !isDeleting(machine);
}

/**
 * The status with what observed generation `from` now observing `to`: the
 * guarded copy made `to`, so the spec is the one the pass saw, bar providerID.
 */
function observingGeneration(
  status: MachineStatus,
  from: number | undefined,
  to: number | undefined,
): MachineStatus {
  if (from === undefined || to === undefined || from === to) return status;
  const moved = <T extends { observedGeneration?: number }>(item: T): T =>
    item.observedGeneration === from ? { ...item, observedGeneration: to } : item;
  return { ...moved(status), ...(status.conditions ? { conditions: status.conditions.map(moved) } : {}) };
}

export function changed(before: object | undefined, after: object): boolean {
  const strip = (status: object | undefined) => ({ ...(status ?? {}), lastUpdated: undefined });
  return canonicalJson(strip(before)) !== canonicalJson(strip(after));
}
