import { Command, Option } from "commander";
import type { ClusterPki } from "../../bootstrap/index.js";
import type { ClusterRun } from "../../converge/cluster-run.js";
import { clusterLabel, clusterWorkDir } from "../../converge/options.js";
import { statusesFor } from "../../converge/statuses.js";
import type { OutputValue } from "../../terraform/types.js";
import { writeFileKubeconfig } from "../bootstrap/prepare.js";
import {
  addManifestOption,
  addTerraformOptions,
  type CommonFlags,
  convergeOptionsFrom,
  stateDirOf,
} from "../common-options.js";
import { confirm } from "../confirm.js";
import { type ClusterOutcome, eachCluster, failedClusters } from "../each-cluster.js";
import { ExitCode, UsageError } from "../exit.js";
import { GUARD_CONSENT, plansAtRisk, refuseUnattendedLoss, riskWarning } from "../guard-consent.js";
import { loadModels } from "../manifests.js";
import { recordOrphans } from "../orphan-record.js";
import {
  describeChanges,
  isAppliedInOneRun,
  type PlannedCluster,
  planClusters,
  planOrApplyClusters,
} from "../plan-clusters.js";
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
      // Unattended, a cluster whose change destroys nothing is planned and applied in one run right away;
      // Terraform's full rendering costs a `show` per cluster: only worth it when a person reads it before answering.
      const outcomes = flags.autoApprove
        ? await planOrApplyClusters(models, options, flags.maxConcurrentRuns, reporter)
        : await planClusters(models, options, flags.maxConcurrentRuns, reporter, { render: true });
      const inOneRun = outcomes.flatMap((o) => (o.ok && isAppliedInOneRun(o.value) ? [o.value] : []));
      const planned = outcomes.flatMap((o): ClusterOutcome<PlannedCluster>[] =>
        o.ok && isAppliedInOneRun(o.value) ? [] : [o as ClusterOutcome<PlannedCluster>],
      );
      for (const done of inOneRun)
        process.stderr.write(
          `\n== ${clusterLabel(done.run.model)} (planned and applied in one run)\n${describeChanges({ summary: done.plan })}`,
        );
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
      refuseUnattendedLoss(
        atRisk,
        flags,
        inOneRun.map((done) => clusterLabel(done.run.model)),
      );
      if (withChanges.length > 0) {
        await confirm(`\nApply the plans above to ${withChanges.length} cluster(s)?`, {
          autoApprove: Boolean(flags.autoApprove),
          verb: "apply",
        });
      }
      const finish = async (run: ClusterRun, outputs: Record<string, OutputValue>, pki?: ClusterPki) => {
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
      };
      const applied = await eachCluster(
        [
          ...inOneRun.map((done) => ({ ...done, outputs: done.apply.outputs })),
          ...planned.flatMap((o) => (o.ok ? [o.value] : [])),
        ],
        flags.maxConcurrentRuns,
        reporter,
        async (entry) => {
          const { run, pki } = entry;
          if ("outputs" in entry) return finish(run, entry.outputs, pki);
          const { plan } = entry;
          const outputs = plan.summary.hasChanges ? (await run.apply(plan)).outputs : await run.outputs();
          return finish(run, outputs, pki);
        },
        (entry) => entry.run.model,
      );
      const objects = applied.flatMap((o) => (o.ok ? [o.value.cluster, ...o.value.machines] : []));
      process.stdout.write(formatObjects(objects, flags.output));
      const failed = [...failedClusters(outcomes), ...failedClusters(applied)];
      if (failed.length > 0) throw new UsageError(`apply failed for ${failed.join(", ")}`, ExitCode.Failed);
    } finally {
      await close();
    }
  });
}
