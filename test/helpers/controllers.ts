import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ClusterControllerOptions,
  clusterController,
} from "../../src/controllers/cluster/controller.js";
import { machineClusterController } from "../../src/controllers/machine/controller.js";
import { machineDeploymentController } from "../../src/controllers/machinedeployment/controller.js";
import { machineSetController } from "../../src/controllers/machineset/controller.js";
import type { Logger } from "../../src/controllers/runtime/logger.js";
import { Manager } from "../../src/controllers/runtime/manager.js";
import type { ConvergeOptions } from "../../src/converge/options.js";
import { sandboxConverge } from "./aws-manifests.js";
import type { TestControlPlane } from "./control-plane.js";

export interface ControllerHarnessOptions {
  cp: TestControlPlane;
  namespace: string;
  endpoint: string;
  providerMirror: string;
  /** Merged over the sandbox converge options (emulator endpoint, credentials, mirror). */
  converge?: Partial<ConvergeOptions>;
  /** Cluster controller options other than converge (default: one Terraform run at a time). */
  cluster?: Partial<Omit<ClusterControllerOptions, "converge">>;
  /** Also run the MachineSet and MachineDeployment controllers. */
  machineSets?: boolean;
  logger?: Logger;
  /** Prefix of the temporary state directory. */
  stateDirPrefix?: string;
}

export interface ControllerHarness {
  manager: Manager;
  stateDir: string;
  /** Terraform processes started, by operation (plan, apply, show, ...). */
  terraformRuns: Record<string, number>;
  stop(): Promise<void>;
}

/**
 * The controllers of an e2e test in-process against the embedded control
 * plane, converging into the AWS emulator. A short shutdown grace: stopping
 * mid-run cancels Terraform (SIGINT) instead of waiting for it.
 */
export async function startControllers(options: ControllerHarnessOptions): Promise<ControllerHarness> {
  const stateDir =
    options.converge?.stateDir ?? (await mkdtemp(join(tmpdir(), options.stateDirPrefix ?? "cf-e2e-")));
  const terraformRuns: Record<string, number> = {};
  const manager = new Manager({
    kubeConfig: options.cp.kubeConfig,
    namespace: options.namespace,
    leaderElection: false,
    shutdown: { gracePeriodMs: 1_000 },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const userOnEvent = options.converge?.onEvent;
  const converge: ConvergeOptions = {
    ...sandboxConverge(stateDir, options.endpoint, options.providerMirror),
    ...options.converge,
    stateDir,
    onEvent: (cluster, event) => {
      if (event.type === "run_start")
        terraformRuns[event.operation] = (terraformRuns[event.operation] ?? 0) + 1;
      userOnEvent?.(cluster, event);
    },
  };
  manager.add(clusterController(manager, { maxConcurrentRuns: 1, ...options.cluster, converge }));
  manager.add(machineClusterController(manager));
  if (options.machineSets)
    manager.add(machineSetController(manager)).add(machineDeploymentController(manager));
  await manager.start();
  const ownsStateDir = options.converge?.stateDir === undefined;
  return {
    manager,
    stateDir,
    terraformRuns,
    stop: async () => {
      await manager.stop();
      if (ownsStateDir) await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** A logger that keeps every line (level, message, fields) for assertions on what was logged. */
export function capturingLogger(lines: string[]): Logger {
  const keep = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { debug: keep("debug"), info: keep("info"), warn: keep("warn"), error: keep("error") };
}
