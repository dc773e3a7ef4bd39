import { Command, Option } from "commander";
import { clusterLabel } from "../../converge/options.js";
import type { ClusterModel } from "../../model/types.js";
import { addTerraformOptions, type CommonFlags, convergeOptionsFrom, stateDirOf } from "../common-options.js";
import { failedClusters } from "../each-cluster.js";
import { ExitCode, UsageError } from "../exit.js";
import { plansAtRisk, riskWarning } from "../guard-consent.js";
import { loadModels } from "../manifests.js";
import { planClusters, planReport } from "../plan-clusters.js";
import { planLine } from "../print.js";
import { Reporter } from "../reporter.js";

/** --detailed-exitcode: changes planned (Terraform's own meaning of 2). */
const EXIT_CHANGES = 2;

interface PlanFlags extends CommonFlags {
  output: "text" | "json";
  detailedExitcode?: boolean;
}

/** `clusterform plan`: synth + init + plan; prints the summary and the redacted plan (or a JSON summary). */
export function planCommand(): Command {
  const command = new Command("plan")
    .description("show what Terraform would change for every Cluster, changing nothing")
    .addOption(
      new Option("-o, --output <format>", "text: Terraform's rendering; json: a stable summary for CI")
        .choices(["text", "json"])
        .default("text"),
    )
    .option(
      "--detailed-exitcode",
      "exit 0 with no changes, 2 with changes, 1 on any failure (invalid manifests included)",
    );
  // -f is checked in the action, not required by commander: `plan show|approve|list NAME` are
  // subcommands of this command (src/cli/main.ts), and commander checks a parent's required options for them.
  command.option("-f, --file <path...>", "manifest files or directories (YAML or JSON)");
  return addTerraformOptions(command).action(async (flags: PlanFlags) => {
    if (!flags.file)
      throw new UsageError(
        "plan needs -f FILES (file mode), or a subcommand: show, approve, list",
        ExitCode.Invalid,
      );
    const models = await loadModelsFor(flags);
    const reporter = new Reporter();
    const { options, close } = await convergeOptionsFrom(flags, reporter);
    try {
      // Terraform's rendering costs a `show` per cluster: only for people.
      const planned = await planClusters(models, options, flags.maxConcurrentRuns, reporter, {
        render: flags.output === "text",
      });
      const report = planReport(planned);
      if (flags.output === "json") process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      for (const outcome of flags.output === "text" ? planned : []) {
        if (!outcome.ok) continue;
        const { plan, text } = outcome.value;
        const headline = plan.summary.hasChanges ? planLine(plan.summary) : "no changes";
        process.stdout.write(
          `== ${clusterLabel(outcome.model)}: ${headline}\n\n${text ?? "No changes.\n"}\n`,
        );
      }
      // The same warnings as apply's: a guarded loss (adopted instance, only control plane) must not go unseen.
      const withChanges = planned.flatMap((o) => (o.ok && o.value.plan.summary.hasChanges ? [o.value] : []));
      const atRisk = flags.output === "text" ? await plansAtRisk(withChanges, options.stateDir) : [];
      if (atRisk.length > 0) process.stderr.write(riskWarning(atRisk));
      const failed = failedClusters(planned);
      if (failed.length > 0) throw new UsageError(`plan failed for ${failed.join(", ")}`, ExitCode.Failed);
      if (flags.detailedExitcode && report.hasChanges) process.exitCode = EXIT_CHANGES;
    } finally {
      await close();
    }
  });
}

/** With --detailed-exitcode, 2 means changes: invalid manifests become a failure (1), as in Terraform. */
async function loadModelsFor(flags: PlanFlags): Promise<ClusterModel[]> {
  try {
    return await loadModels(flags.file, stateDirOf(flags));
  } catch (error) {
    if (flags.detailedExitcode && error instanceof UsageError)
      throw new UsageError(error.message, ExitCode.Failed);
    throw error;
  }
}
