import { Command } from "commander";
import { clusterLabel } from "../../converge/options.js";
import {
  addManifestOption,
  addTerraformOptions,
  type CommonFlags,
  convergeOptionsFrom,
} from "../common-options.js";
import { failedClusters } from "../each-cluster.js";
import { ExitCode, UsageError } from "../exit.js";
import { loadModels } from "../manifests.js";
import { planClusters } from "../plan-clusters.js";
import { planLine } from "../print.js";
import { Reporter } from "../reporter.js";

/** `clusterform plan`: synth + init + plan; prints the summary and the redacted plan. */
export function planCommand(): Command {
  const command = new Command("plan").description(
    "show what Terraform would change for every Cluster, changing nothing",
  );
  return addTerraformOptions(addManifestOption(command)).action(async (flags: CommonFlags) => {
    const models = await loadModels(flags.file);
    const reporter = new Reporter();
    const { options, close } = await convergeOptionsFrom(flags, reporter);
    try {
      const planned = await planClusters(models, options, flags.maxConcurrentRuns, reporter, {
        render: true,
      });
      for (const outcome of planned) {
        if (!outcome.ok) continue;
        const { plan, text } = outcome.value;
        const headline = plan.summary.hasChanges ? planLine(plan.summary) : "no changes";
        process.stdout.write(
          `== ${clusterLabel(outcome.model)}: ${headline}\n\n${text ?? "No changes.\n"}\n`,
        );
      }
      const failed = failedClusters(planned);
      if (failed.length > 0) throw new UsageError(`plan failed for ${failed.join(", ")}`, ExitCode.Failed);
    } finally {
      await close();
    }
  });
}
