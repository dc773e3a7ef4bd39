import { type Command, InvalidArgumentError, Option } from "commander";
import type { WorkloadSettings } from "../controllers/cluster/controller.js";
import { collectWorkloadOverride } from "../controllers/workload/overrides.js";
import { parseDuration } from "../plans/duration.js";

/** Flags of the commands that run the controllers (run, dev) about workload clusters (docs/workload.md). */
export interface WorkloadFlags {
  workloadRead: boolean;
  workloadKubeconfigOverride?: Map<string, string>;
  nodeStartupTimeout?: number;
  nodeDeletionTimeout?: number;
}

export function addWorkloadOptions(command: Command): Command {
  return command
    .option(
      "--no-workload-read",
      "do not read workload clusters (Machines are Running once their instances run)",
    )
    .addOption(
      new Option(
        "--workload-kubeconfig-override <namespace/cluster=file>",
        "reach this Cluster's workload API with this kubeconfig instead of its <cluster>-kubeconfig Secret (repeatable; air-gapped setups)",
      ).argParser(overrideParser),
    )
    .addOption(
      new Option(
        "--node-startup-timeout <duration>",
        "how long a running instance may go without its Node registering before its Machine says so",
      )
        .default(undefined, "15m")
        .argParser(durationParser),
    )
    .addOption(
      new Option(
        "--node-deletion-timeout <duration>",
        "how long an unreachable workload API may delay destroying a leaving Machine's instance",
      )
        .default(undefined, "1m")
        .argParser(durationParser),
    );
}

/** The cluster controller's workload settings; undefined when reading is off. */
export function workloadSettingsFrom(flags: WorkloadFlags): WorkloadSettings | undefined {
  if (!flags.workloadRead) return undefined;
  return {
    ...(flags.workloadKubeconfigOverride ? { overrides: flags.workloadKubeconfigOverride } : {}),
    ...(flags.nodeStartupTimeout !== undefined ? { nodeStartupTimeoutMs: flags.nodeStartupTimeout } : {}),
    ...(flags.nodeDeletionTimeout !== undefined ? { nodeDeletionTimeoutMs: flags.nodeDeletionTimeout } : {}),
  };
}

function overrideParser(text: string, previous: Map<string, string> | undefined): Map<string, string> {
  try {
    return collectWorkloadOverride(text, previous);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

function durationParser(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw new InvalidArgumentError(`expected a duration such as 30s, 15m or 1h, got "${text}"`);
  return ms;
}
