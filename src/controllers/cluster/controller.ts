import type { KubernetesObject } from "@kubernetes/client-node";
import type { Machine } from "../../api/machine.js";
import { CLUSTER_NAME_LABEL } from "../../api/meta.js";
import type { ConvergeOptions } from "../../converge/options.js";
import { adaptiveRunLimit } from "../../converge/run-limit.js";
import { StackCache } from "../../converge/stack-cache.js";
import type { ApplyPolicy } from "../../plans/apply-policy.js";
import { isUnactionableWarning } from "../../terraform/diagnostic-noise.js";
import type { TerraformEvent } from "../../terraform/types.js";
import { Controller, ownKey } from "../runtime/controller.js";
import type { Logger } from "../runtime/logger.js";
import type { Manager } from "../runtime/manager.js";
import { ignoreStatusOnlyUpdates } from "../runtime/predicates.js";
import { ClusterResource, MachineClassResource, MachineResource } from "../shared/resources.js";
import { WorkloadClients, type WorkloadClientsOptions } from "../workload/clients.js";
import { KubeClusterStore } from "./kube-store.js";
import { machineChangeMatters } from "./machine-predicate.js";
import { ClusterControllerMetrics } from "./metrics.js";
import { reconcileCluster } from "./reconcile.js";
import { approvalOnly, DEFAULT_SETTLE_MS, settledKeys } from "./settle.js";

export interface ClusterControllerOptions {
  converge: ConvergeOptions;
  /** Upper bound of Terraform runs at once across clusters; below it, free memory and idle CPU decide (run-slots.ts). */
  maxConcurrentRuns: number;
  /** For Clusters without the clusterform.io/apply-policy annotation (default auto). */
  defaultApplyPolicy?: ApplyPolicy;
  /** Drift check interval in ms for Clusters without clusterform.io/drift-interval (default 10 min). */
  driftIntervalMs?: number;
  /** Full-plan drift interval in ms of Clusters with a cheap check, without clusterform.io/full-drift-interval (default 1 h). */
  fullDriftIntervalMs?: number;
  /** --export-dir: every new plan's configuration is written to DIR/<namespace>/<cluster>/ for a pipeline. */
  exportDir?: string;
  /** Wait after a burst's first change before reconciling (settle.ts); default 1 s, 0 reconciles at once. */
  settleMs?: number;
  /**
   * Read each Cluster's workload API through `<cluster>-kubeconfig` (or an
   * override): nodeRefs, NodeHealthy, ControlPlaneInitialized, Node removal
   * before destroy (docs/workload.md). Absent: not read.
   */
  workload?: WorkloadSettings;
}

export interface WorkloadSettings
  extends Pick<WorkloadClientsOptions, "overrides" | "maxClients" | "requestTimeoutMs" | "retry"> {
  /** --node-startup-timeout in ms (default 15m). */
  nodeStartupTimeoutMs?: number;
  /** --node-deletion-timeout in ms (default 1m). */
  nodeDeletionTimeoutMs?: number;
}

/**
 * The cluster stack reconciler as a runtime Controller: key = Cluster. A
 * Cluster, any Machine labelled for it, and any MachineClass such a Machine
 * uses enqueue that Cluster; the work queue folds changes that arrive during
 * a run into the next run. Reconciles of different clusters overlap (an
 * invalid cluster never waits behind another's Terraform), Terraform runs
 * themselves are bounded by what they consume, at most maxConcurrentRuns.
 */
export function clusterController(manager: Manager, options: ClusterControllerOptions): Controller {
  const metrics = new ClusterControllerMetrics(manager);
  const store = new KubeClusterStore(manager.client, metrics.eventRecorder(manager, "clusterform-cluster"));
  // The logger of each cluster's running reconcile (one at a time per cluster): Terraform's lines carry its reconcileID.
  const reconcileLoggers = new Map<string, Logger>();
  const converge: ConvergeOptions = {
    ...options.converge,
    onEvent: (cluster, event) => {
      const label = `${cluster.namespace}/${cluster.name}`;
      logTerraformEvent(reconcileLoggers.get(label) ?? manager.logger, label, event);
      metrics.terraformEvent(event);
      options.converge.onEvent?.(cluster, event);
    },
  };
  const stacks = new StackCache(converge.awsEndpoint ? { awsEndpoint: converge.awsEndpoint } : {});
  const runLimit = adaptiveRunLimit({ cap: options.maxConcurrentRuns });
  const settings = options.workload;
  // Node changes and reachability changes in a workload cluster enqueue its Cluster (a pass without plan is cheap).
  let enqueue: (key: string) => void = () => {};
  const workload = settings
    ? new WorkloadClients({
        ...settings,
        management: manager.client,
        logger: manager.logger,
        onChange: (key) => enqueue(key),
      })
    : undefined;
  if (workload) manager.onStop(() => workload.stop());
  const controller = new Controller({
    name: "cluster",
    maxConcurrent: options.maxConcurrentRuns * 2 + 2,
    logger: manager.logger,
    keyField: "cluster",
    reconcile: async (key, context) => {
      const cluster = { namespace: key.namespace ?? "default", name: key.name };
      const label = `${cluster.namespace}/${cluster.name}`;
      reconcileLoggers.set(label, context.logger);
      try {
        return await reconcileCluster(
          {
            store,
            converge,
            stacks,
            runLimit: (task) => runLimit(task),
            log: (message, fields) => context.logger.info(message, fields),
            ...(options.defaultApplyPolicy ? { defaultApplyPolicy: options.defaultApplyPolicy } : {}),
            ...(options.driftIntervalMs ? { driftIntervalMs: options.driftIntervalMs } : {}),
            ...(options.fullDriftIntervalMs ? { fullDriftIntervalMs: options.fullDriftIntervalMs } : {}),
            ...(options.exportDir ? { exportDir: options.exportDir } : {}),
            ...(workload ? { workload } : {}),
            ...(settings?.nodeStartupTimeoutMs !== undefined
              ? { nodeStartupTimeoutMs: settings.nodeStartupTimeoutMs }
              : {}),
            ...(settings?.nodeDeletionTimeoutMs !== undefined
              ? { nodeDeletionTimeoutMs: settings.nodeDeletionTimeoutMs }
              : {}),
          },
          cluster,
          context.signal,
        );
      } finally {
        reconcileLoggers.delete(label);
      }
    },
  });
  enqueue = (key) => controller.enqueue(key);
  const machines = manager.informer<Machine & KubernetesObject>(MachineResource);
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  // The reconciler writes the status of Clusters and Machines itself: those writes coming back are not news.
  controller.watch(
    manager.informer(ClusterResource),
    settledKeys(controller, ownKey, settleMs, approvalOnly),
    ignoreStatusOnlyUpdates,
  );
  controller.watch(
    machines,
    settledKeys(controller, (machine) => clusterKeysOf([machine]), settleMs),
    machineChangeMatters,
  );
  controller.watch(
    manager.informer(MachineClassResource),
    settledKeys(
      controller,
      (machineClass) => {
        const namespace = machineClass.metadata?.namespace;
        const users = machines
          .list(namespace)
          .filter((m) => m.spec?.providerSpec?.valueFrom?.machineClass?.name === machineClass.metadata?.name);
        return clusterKeysOf(users);
      },
      settleMs,
    ),
  );
  return controller;
}

function clusterKeysOf(machines: readonly Machine[]): string[] {
  const keys = new Set<string>();
  for (const machine of machines) {
    const cluster = machine.metadata?.labels?.[CLUSTER_NAME_LABEL];
    if (cluster) keys.add(`${machine.metadata.namespace ?? "default"}/${cluster}`);
  }
  return [...keys];
}

/** Terraform's per-resource progress goes to the logs (Events carry only the summaries). */
function logTerraformEvent(logger: Logger, cluster: string, event: TerraformEvent): void {
  switch (event.type) {
    case "apply_start":
    case "apply_complete":
    case "apply_errored":
      logger.info(event.message, { cluster });
      break;
    case "diagnostic":
      // Noise a user cannot act on (a filesystem mirror's partial lock file) stays out of the warnings.
      if (isUnactionableWarning(event.diagnostic))
        logger.debug(event.message, { cluster, severity: event.diagnostic.severity });
      else logger.warn(event.message, { cluster, severity: event.diagnostic.severity });
      break;
    case "run_end":
      logger.debug("terraform finished", {
        cluster,
        operation: event.operation,
        result: event.result,
        exitCode: event.exitCode,
        ms: event.durationMs,
        cpuMs: event.cpuMs,
      });
      break;
    default:
      break;
  }
}
