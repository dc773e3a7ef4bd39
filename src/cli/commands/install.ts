/**
 * `clusterform install [--kubeconfig F] [--dry-run]`: the components
 * (clusterform-components.yaml) into the cluster the kubeconfig points at.
 */
import { Command, Option } from "commander";
import { ApiClient } from "../../controllers/runtime/api-client.js";
import { componentObjects, renderComponents } from "../../deploy/components.js";
import { parseDuration } from "../../plans/duration.js";
import { ExitCode, UsageError } from "../exit.js";
import { applyComponents, waitForComponents } from "../install-components.js";
import { loadKubeConfig } from "./install-crds.js";

interface InstallFlags {
  kubeconfig?: string;
  dryRun?: boolean;
  timeout: string;
}

export function installCommand(): Command {
  return new Command("install")
    .description(
      "apply clusterform's components (CRDs, namespace, RBAC, controller Deployment) to the cluster the kubeconfig points at",
    )
    .option("--kubeconfig <file>", "kubeconfig to use (default: $KUBECONFIG or ~/.kube/config)")
    .option("--dry-run", "print the components (clusterform-components.yaml) instead of applying them")
    .addOption(
      new Option("--timeout <duration>", "how long to wait for CRDs and the Deployment").default("5m"),
    )
    .action(async (flags: InstallFlags) => {
      if (flags.dryRun) {
        process.stdout.write(renderComponents());
        return;
      }
      const timeoutMs = parseDuration(flags.timeout);
      if (timeoutMs === undefined)
        throw new UsageError(
          `--timeout: expected a duration such as 90s or 5m, got "${flags.timeout}"`,
          ExitCode.Invalid,
        );
      const client = new ApiClient(loadKubeConfig(flags.kubeconfig));
      try {
        const objects = componentObjects();
        const outcome = await applyComponents(client, objects);
        for (const { object, action } of outcome.applied) process.stdout.write(`${object} ${action}\n`);
        await waitForComponents(client, objects, outcome, timeoutMs);
        if (outcome.unserved.length === 0) {
          process.stdout.write("clusterform installed: CRDs established, controller available\n");
          return;
        }
        const lines = outcome.unserved.map(({ object, reason }) => `  ${object}: ${reason}`).join("\n");
        throw new UsageError(
          `installed what this API server serves; not installed:\n${lines}\n` +
            "(the embedded control plane serves CRDs, Namespace, Secret, ConfigMap, Event and Lease only: " +
            "run the controller beside it with `clusterform run`, or install into a real cluster)",
          ExitCode.Failed,
        );
      } finally {
        client.close();
      }
    });
}
