import type { Cluster, ClusterStatus, PlanSummaryStatus } from "../../api/cluster.js";
import type { FieldError } from "../../api/field-error.js";
import type { Machine, MachineStatus } from "../../api/machine.js";
import { statusesFor } from "../../converge/statuses.js";
import { computeClusterStatus } from "../../status/cluster-status.js";
import { withInstanceLost, withInstancesTerminated } from "../../status/lost-instance.js";
import { computeMachineStatus, type ObservedError } from "../../status/machine-status.js";
import { observeStack, type StackObservation } from "../../status/outputs.js";
import { Reason } from "../../status/reasons.js";
import { canonicalJson } from "../../util/canonical-json.js";
import { isDeleting } from "../../util/objects.js";
import { lostInstances } from "./lost-instances.js";
import { withMachinePlanConditions, withPlanConditions } from "./plan-status.js";
import type { ClusterScope } from "./scope.js";
import type { ClusterStore } from "./store.js";
import { describeErrors } from "./validate.js";

export interface ComputedStatuses {
  cluster: { object: Cluster; status: ClusterStatus };
  machines: { object: Machine; status: MachineStatus }[];
}

/**
 * Every object's status from what the scope learned: outputs, machines being
 * provisioned, the error caught. Pure; written once per pass by writeStatuses.
 */
export function computeStatuses(scope: ClusterScope, now: Date): ComputedStatuses {
  const observed = observe(scope);
  if (scope.model) {
    const lost = lostInstances(scope);
    const statuses = statusesFor(scope.model, {
      ...(scope.outputs ? { outputs: withInstancesTerminated(scope.outputs, lost) } : {}),
      provisioning: scope.provisioning,
      ...(scope.error ? { error: scope.error } : {}),
      now,
      ...(scope.workload ? { workload: scope.workload } : {}),
      ...(scope.nodeStartupTimeoutMs !== undefined
        ? { nodeStartupTimeoutMs: scope.nodeStartupTimeoutMs }
        : {}),
    });
    const live = new Set(scope.model.machines.map((m) => m.name));
    const byName = new Map(scope.machines.map((m) => [m.metadata.name, m]));
    const machines = statuses.machines.map((m) => ({
      object: byName.get(m.metadata.name) ?? m,
      status: withInstanceLost(
        withMachinePlanConditions(m.metadata.name ?? "", m.status as MachineStatus, scope, now),
        lost.get(m.metadata.name ?? ""),
        now,
      ),
    }));
    const leaving = scope.machines.filter((m) => !live.has(m.metadata.name ?? ""));
    const status = statuses.cluster.status as ClusterStatus;
    return {
      cluster: {
        object: scope.cluster,
        status: withPlanConditions(scope.plan ? withPlan(status, scope.plan) : status, scope, now),
      },
      machines: [...machines, ...leaving.map((m) => machineStatus(m, observed, scope.error, now))],
    };
  }
  return {
    cluster: {
      object: scope.cluster,
      status: computeClusterStatus({
        cluster: scope.cluster,
        ...(observed ? { observation: observed.cluster, outputs: observed.outputs } : {}),
        machineStatuses: [],
        provisioning: false,
        ...(scope.error ? { error: scope.error } : {}),
        now,
      }),
    },
    machines: scope.machines.map((m) => machineStatus(m, observed, scope.error, now)),
  };
}

function withPlan(status: ClusterStatus, plan: PlanSummaryStatus): ClusterStatus {
  return { ...status, plan, ...(plan.state === "Applied" ? { lastAppliedPlan: plan.id } : {}) };
}

function machineStatus(
  machine: Machine,
  observed: StackObservation | undefined,
  error: ObservedError | undefined,
  now: Date,
): { object: Machine; status: MachineStatus } {
  const observation = observed?.machines.get(machine.metadata.name ?? "");
  return {
    object: machine,
    status: computeMachineStatus({
      machine,
      ...(observation ? { observation } : {}),
      provisioning: false,
      // A Machine being deleted is not failed by its cluster's problems; its own phase says Deleting.
      ...(error && !isDeleting(machine) ? { error } : {}),
      now,
    }),
  };
}

function observe(scope: ClusterScope): StackObservation | undefined {
  if (!scope.outputs) return undefined;
  const provider = scope.model?.provider ?? scope.applied?.provider;
  return provider ? observeStack(provider, scope.outputs) : undefined;
}

/**
 * The errors of an invalid cluster, as each object shows them: the Cluster
 * lists every problem; a Machine with its own problems fails with them; the
 * others wait (Ready=False, no terminal error: nothing is wrong with them).
 */
export function invalidConfigurationStatuses(
  scope: ClusterScope,
  errors: readonly FieldError[],
  now: Date,
): ComputedStatuses {
  const clusterError: ObservedError = {
    reason: Reason.InvalidConfiguration,
    message: describeErrors(errors),
    terminal: true,
  };
  const computed = computeStatuses({ ...scope, error: clusterError }, now);
  const observed = observe(scope);
  const machines = scope.machines.map((machine) => {
    const own = describeErrors(errors, { kind: "Machine", name: machine.metadata.name ?? "" });
    const error: ObservedError = own
      ? { reason: Reason.InvalidConfiguration, message: own, terminal: true }
      : {
          reason: Reason.InvalidConfiguration,
          message: `Cluster ${scope.key.namespace}/${scope.key.name} has invalid configuration; see its status`,
          terminal: false,
        };
    return machineStatus(machine, observed, error, now);
  });
  return { cluster: computed.cluster, machines };
}

/** Patches each status that changed (lastUpdated aside), and copies providerID into spec once. */
export async function writeStatuses(store: ClusterStore, computed: ComputedStatuses): Promise<void> {
  const { cluster } = computed;
  if (changed(cluster.object.status, cluster.status)) {
    await store.patchClusterStatus(cluster.object, cluster.status);
    // The scope's copy now holds what the server holds: the next write compares with it.
    cluster.object.status = cluster.status;
  }
  for (const { object, status } of computed.machines) {
    if (changed(object.status, status)) {
      await store.patchMachineStatus(object, status);
      object.status = status;
    }
    if (status.providerID && object.spec.providerID !== status.providerID && !isDeleting(object)) {
      await store.patchMachineProviderID(object, status.providerID);
      object.spec = { ...object.spec, providerID: status.providerID };
    }
  }
}

export function changed(before: object | undefined, after: object): boolean {
  const strip = (status: object | undefined) => ({ ...(status ?? {}), lastUpdated: undefined });
  return canonicalJson(strip(before)) !== canonicalJson(strip(after));
}
