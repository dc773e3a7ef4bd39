import { Command } from "commander";
import { clusterLabel } from "../../converge/options.js";
import {
  addManifestOption,
  addTerraformOptions,
  type CommonFlags,
  convergeOptionsFrom,
  stateDirOf,
} from "../common-options.js";
import { confirm } from "../confirm.js";
import { forgetKeptInstances, keptInstances } from "../destroy-orphans.js";
import { eachCluster, failedClusters } from "../each-cluster.js";
import { ExitCode, UsageError } from "../exit.js";
import { loadModels } from "../manifests.js";
import { describeChanges, planClusters } from "../plan-clusters.js";
import { Reporter } from "../reporter.js";

interface DestroyFlags extends CommonFlags {
  autoApprove?: boolean;
}

/** `clusterform destroy`: plan the destruction of every cluster in the files, ask, destroy. */
export function destroyCommand(): Command {
  const command = new Command("destroy")
    .description(
      "destroy every resource of the Clusters in the files (instances of Machines annotated clusterform.io/on-delete: orphan are forgotten, not destroyed)",
    )
    .option("--auto-approve", "destroy without asking");
  return addTerraformOptions(addManifestOption(command)).action(async (flags: DestroyFlags) => {
    const models = await loadModels(flags.file, stateDirOf(flags));
    const reporter = new Reporter();
    const { options, close } = await convergeOptionsFrom(flags, reporter);
    try {
      const planned = await planClusters(models, options, flags.maxConcurrentRuns, reporter, {
        destroy: true,
      });
      const withChanges = planned.flatMap((o) => (o.ok && o.value.plan.summary.hasChanges ? [o.value] : []));
      for (const p of withChanges) {
        process.stderr.write(`\n== ${clusterLabel(p.run.model)}\n${describeChanges(p.plan)}`);
        for (const address of keptInstances(p.run, p.plan))
          process.stderr.write(`  = ${address}: kept running, forgotten instead (on-delete: orphan)\n`);
      }
      if (withChanges.length > 0) {
        await confirm(`\nDestroy every resource listed above in ${withChanges.length} cluster(s)?`, {
          autoApprove: Boolean(flags.autoApprove),
          verb: "destroy",
        });
      }
      const destroyed = await eachCluster(
        withChanges,
        flags.maxConcurrentRuns,
        reporter,
        async ({ run, plan }) => (await run.apply(await forgetKeptInstances(run, plan))).applied.destroy,
        (p) => p.run.model,
      );
      for (const o of planned) {
        if (!o.ok) continue;
        const done = destroyed.find((d) => d.model === o.model);
        const count = done?.ok ? done.value : 0;
        if (!done || done.ok)
          process.stdout.write(`${clusterLabel(o.model)}: destroyed ${count} resource(s)\n`);
      }
      const failed = [...failedClusters(planned), ...failedClusters(destroyed)];
      if (failed.length > 0) throw new UsageError(`destroy failed for ${failed.join(", ")}`, ExitCode.Failed);
    } finally {
      await close();
    }
  });
}
