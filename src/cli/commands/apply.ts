import { Command, Option } from "commander";
import { clusterLabel, clusterWorkDir } from "../../converge/options.js";
import { statusesFor } from "../../converge/statuses.js";
import { writeFileKubeconfig } from "../bootstrap/prepare.js";
import {
  addManifestOption,
  addTerraformOptions,
  type CommonFlags,
  convergeOptionsFrom,
  stateDirOf,
} from "../common-options.js";
import { confirm } from "../confirm.js";
import { eachCluster, failedClusters } from "../each-cluster.js";
import { ExitCode, UsageError } from "../exit.js";
import { GUARD_CONSENT, plansAtRisk, refuseUnattendedLoss, riskWarning } from "../guard-consent.js";
import { loadModels } from "../manifests.js";
import { recordOrphans } from "../orphan-record.js";
import { describeChanges, planClusters } from "../plan-clusters.js";
import { formatObjects, type OutputFormat } from "../print.js";
import { Reporter } from "../reporter.js";
import { kubeconfigNotice, sensitiveOutputsNotice } from "../sensitive-outputs.js";

interface ApplyFlags extends CommonFlags {
  autoApprove?: boolean;
  allowReplaceAdopted?: boolean;
  allowReplaceControlPlane?: boolean;
  output: OutputFormat;
}

/**
 * `clusterform apply`: plan every cluster, ask once, apply, read outputs, and
 * print every object with the status the controller writes.
 */
export function applyCommand(): Command {
  const command = new Command("apply")
    .description("converge every Cluster with Terraform and print the resulting objects with their status")
    .option("--auto-approve", "apply without asking")
    .option(
      GUARD_CONSENT["adopted-instance"].flag,
      "with --auto-approve: let a plan replace or delete an adopted instance (refused otherwise)",
    )
    .option(
      GUARD_CONSENT["single-control-plane"].flag,
      "with --auto-approve: let a plan replace or delete a cluster's only control plane, losing etcd (refused otherwise)",
    )
    .addOption(
      new Option("-o, --output <format>", "how to print the objects")
        .choices(["yaml", "json"])
        .default("yaml"),
    );
  return addTerraformOptions(addManifestOption(command)).action(async (flags: ApplyFlags) => {
    const models = await loadModels(flags.file, stateDirOf(flags));
    const reporter = new Reporter();
    const { options, close } = await convergeOptionsFrom(flags, reporter);
    try {
      // Terraform's full rendering costs a `show` per cluster: only worth it when a person reads it before answering.
      const planned = await planClusters(models, options, flags.maxConcurrentRuns, reporter, {
        render: !flags.autoApprove,
      });
      const withChanges = planned.flatMap((o) => (o.ok && o.value.plan.summary.hasChanges ? [o] : []));
      // An adopted instance or the only control plane is never destroyed without explicit consent.
      const atRisk = await plansAtRisk(
        withChanges.map((o) => o.value),
        options.stateDir,
      );
      for (const o of withChanges) {
        process.stderr.write(
          `\n== ${clusterLabel(o.model)}\n${o.value.text ?? describeChanges(o.value.plan)}`,
        );
      }
      if (atRisk.length > 0) process.stderr.write(riskWarning(atRisk));
      refuseUnattendedLoss(atRisk, flags);
      if (withChanges.length > 0) {
        await confirm(`\nApply the plans above to ${withChanges.length} cluster(s)?`, {
          autoApprove: Boolean(flags.autoApprove),
          verb: "apply",
        });
      }
      const applied = await eachCluster(
        planned.flatMap((o) => (o.ok ? [o.value] : [])),
        flags.maxConcurrentRuns,
        reporter,
        async ({ run, plan, pki }) => {
          const outputs = plan.summary.hasChanges ? (await run.apply(plan)).outputs : await run.outputs();
          await recordOrphans(run.model, options.stateDir);
          const kubeconfig = pki && (await writeFileKubeconfig(run.model, pki, outputs, options.stateDir));
          if (kubeconfig) reporter.step(run.model, kubeconfigNotice(run.model, kubeconfig, options.stateDir));
          const statuses = statusesFor(run.model, { outputs, now: new Date() });
          const notice = sensitiveOutputsNotice(
            statuses.sensitiveOutputs,
            clusterWorkDir(options.stateDir, run.model),
          );
          if (notice) reporter.step(run.model, notice);
          return statuses;
        },
        (entry) => entry.run.model,
      );
      const objects = applied.flatMap((o) => (o.ok ? [o.value.cluster, ...o.value.machines] : []));
      process.stdout.write(formatObjects(objects, flags.output));
      const failed = [...failedClusters(planned), ...failedClusters(applied)];
      if (failed.length > 0) throw new UsageError(`apply failed for ${failed.join(", ")}`, ExitCode.Failed);
    } finally {
      await close();
    }
  });
}
