/**
 * `clusterform run`: the controllers against any cluster the kubeconfig
 * points at (CRDs installed with `clusterform install-crds` or
 * `kubectl apply -f crds/`). Only the cluster reconciler runs Terraform.
 */

import { resolve } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { Command, InvalidArgumentError, Option } from "commander";
import { clusterController, type WorkloadSettings } from "../../controllers/cluster/controller.js";
import { machineClusterController } from "../../controllers/machine/controller.js";
import { machineDeploymentController } from "../../controllers/machinedeployment/controller.js";
import { machineSetController } from "../../controllers/machineset/controller.js";
import type { Logger } from "../../controllers/runtime/logger.js";
import { Manager } from "../../controllers/runtime/manager.js";
import { type ConvergeOptions, DEFAULT_BACKENDS, type DefaultBackend } from "../../converge/options.js";
import { APPLY_POLICIES, type ApplyPolicy } from "../../plans/apply-policy.js";
import { MIN_DRIFT_INTERVAL_MS } from "../../plans/drift.js";
import { parseDuration } from "../../plans/duration.js";
import { addTerraformOptions, type CommonFlags, convergeOptionsFrom } from "../common-options.js";
import {
  addObservabilityOptions,
  loggerFrom,
  type ObservabilityFlags,
  serveObservability,
} from "../observability.js";
import { Reporter } from "../reporter.js";
import { addWorkloadOptions, type WorkloadFlags, workloadSettingsFrom } from "../workload-options.js";
import { loadKubeConfig } from "./install-crds.js";

/** Flags of every command that runs the controllers (run, dev). */
export interface PolicyFlags {
  defaultApplyPolicy: ApplyPolicy;
  driftInterval?: number;
  fullDriftInterval?: number;
  exportDir?: string;
}

interface RunFlags extends Omit<CommonFlags, "file">, PolicyFlags, ObservabilityFlags, WorkloadFlags {
  kubeconfig?: string;
  namespace?: string;
  leaderElect?: boolean;
  leaderElectionNamespace?: string;
  defaultBackend: DefaultBackend;
}

export interface ControllerSettings {
  kubeConfig: KubeConfig;
  namespace?: string;
  converge: ConvergeOptions;
  maxConcurrentRuns: number;
  leaderElect: boolean;
  /** Where the Lease lives (default: the watched namespace, else "default"). */
  leaderElectionNamespace?: string;
  logger: Logger;
  policy: PolicyFlags;
  workload?: WorkloadFlags;
}

/** Every controller of the project in one Manager, started (or waiting for leadership). */
export function createControllerManager(settings: ControllerSettings): Manager {
  const manager = new Manager({
    kubeConfig: settings.kubeConfig,
    ...(settings.namespace ? { namespace: settings.namespace } : {}),
    leaderElection: settings.leaderElect
      ? {
          namespace: settings.leaderElectionNamespace ?? settings.namespace ?? "default",
          name: "clusterform-controller",
        }
      : false,
    logger: settings.logger,
    onLostLeadership: () => {
      settings.logger.error("lost leadership: exiting so a fresh process can compete again");
      process.exit(1);
    },
  });
  // Terraform's own progress is logged by the reconciler; no CLI reporter here.
  const { onEvent: _cliReporter, ...converge } = settings.converge;
  manager.add(
    clusterController(manager, {
      converge,
      maxConcurrentRuns: settings.maxConcurrentRuns,
      defaultApplyPolicy: settings.policy.defaultApplyPolicy,
      ...(settings.policy.driftInterval ? { driftIntervalMs: settings.policy.driftInterval } : {}),
      ...(settings.policy.fullDriftInterval
        ? { fullDriftIntervalMs: settings.policy.fullDriftInterval }
        : {}),
      ...(settings.policy.exportDir ? { exportDir: resolve(settings.policy.exportDir) } : {}),
      ...workloadOption(settings.workload),
    }),
  );
  // MachineDeployments make MachineSets, MachineSets make Machines; the cluster controller provisions them.
  manager.add(machineSetController(manager)).add(machineDeploymentController(manager));
  // Machines that name no Cluster are provisioned by nobody: they are told so.
  manager.add(machineClusterController(manager));
  return manager;
}

/**
 * The controllers with their metrics and probe endpoints, served at once (probes answer while the
 * manager waits for the Lease); `stopped` settles after the first SIGINT/SIGTERM has stopped the
 * manager, closed the endpoints, then run `closeAlso`.
 */
export async function serveControllers(
  settings: ControllerSettings,
  flags: ObservabilityFlags,
  closeAlso: () => Promise<void>,
): Promise<{ manager: Manager; stopped: Promise<void> }> {
  const manager = createControllerManager(settings);
  const closeEndpoints = await serveObservability(manager, flags, settings.logger);
  const stopped = stopOnSignal(async () => {
    await manager.stop();
    await closeEndpoints();
    await closeAlso();
  }, settings.logger);
  return { manager, stopped };
}

function workloadOption(flags: WorkloadFlags | undefined): { workload?: WorkloadSettings } {
  const workload = flags ? workloadSettingsFrom(flags) : undefined;
  return workload ? { workload } : {};
}

/** Stops the manager (running Terraform finishes or gets SIGINT) on the first SIGINT/SIGTERM. */
export function stopOnSignal(stop: () => Promise<void>, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (signal: string) => {
      logger.info(`${signal}: shutting down (running Terraform is allowed to finish)`);
      stop().then(resolve, (error: unknown) => {
        logger.error("shutdown failed", { error: String(error) });
        resolve();
      });
    };
    process.once("SIGINT", () => onSignal("SIGINT"));
    process.once("SIGTERM", () => onSignal("SIGTERM"));
  });
}

/** --default-apply-policy and --drift-interval (the defaults for Clusters without the annotations), --export-dir. */
export function addPolicyOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--default-apply-policy <policy>",
        "apply policy of Clusters without the clusterform.io/apply-policy annotation",
      )
        .choices([...APPLY_POLICIES])
        .default("auto"),
    )
    .addOption(
      new Option(
        "--drift-interval <duration>",
        "drift check interval of Clusters without the clusterform.io/drift-interval annotation (default 10m)",
      )
        .default(undefined, "10m")
        .argParser(parseDriftInterval),
    )
    .addOption(
      new Option(
        "--full-drift-interval <duration>",
        "full-plan drift check interval of AWS Clusters (which get a cheap cloud read every drift interval) without the clusterform.io/full-drift-interval annotation (default 1h)",
      )
        .default(undefined, "1h")
        .argParser(parseDriftInterval),
    )
    .option(
      "--export-dir <dir>",
      "write every new plan's configuration to DIR/<namespace>/<cluster>/ (cdk.tf.json, README.md, clusterform-plan.json) for a pipeline to apply",
    );
}

function parseDriftInterval(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms < MIN_DRIFT_INTERVAL_MS) {
    throw new InvalidArgumentError(
      `expected a duration of at least 5s such as 30s, 10m or 1h30m, got "${text}"`,
    );
  }
  return ms;
}

export function runCommand(): Command {
  const command = new Command("run")
    .description("run the controllers (Terraform per Cluster) against the cluster the kubeconfig points at")
    .option("--kubeconfig <file>", "kubeconfig to use (default: $KUBECONFIG or ~/.kube/config)")
    .option("--namespace <ns>", "watch one namespace (default: all)")
    .option("--leader-elect", "take a coordination.k8s.io Lease so only one replica runs Terraform")
    .option(
      "--leader-election-namespace <ns>",
      "namespace of the leader election Lease (default: --namespace, else default)",
    )
    .addOption(
      new Option(
        "--default-backend <backend>",
        "state backend of Clusters without the clusterform.io/backend annotation (kubernetes in a pod: state in Secrets)",
      )
        .choices([...DEFAULT_BACKENDS])
        .default("local"),
    );
  return addWorkloadOptions(addPolicyOptions(addTerraformOptions(addObservabilityOptions(command)))).action(
    async (flags: RunFlags) => {
      const logger = loggerFrom(flags);
      const { options, close } = await convergeOptionsFrom({ ...flags, file: [] }, new Reporter());
      const { manager, stopped } = await serveControllers(
        {
          kubeConfig: loadKubeConfig(flags.kubeconfig),
          ...(flags.namespace ? { namespace: flags.namespace } : {}),
          converge: { ...options, defaultBackend: flags.defaultBackend },
          maxConcurrentRuns: flags.maxConcurrentRuns,
          leaderElect: Boolean(flags.leaderElect),
          ...(flags.leaderElectionNamespace
            ? { leaderElectionNamespace: flags.leaderElectionNamespace }
            : {}),
          logger,
          policy: flags,
          workload: flags,
        },
        flags,
        close,
      );
      await manager.start();
      await stopped;
    },
  );
}
