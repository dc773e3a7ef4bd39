import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Seconds each slow e2e file took in a full run (2 cores, under load). Only
 * the order they give matters: refresh them when a file's time changes a lot.
 */
export const SLOW_FILE_SECONDS: Readonly<Record<string, number>> = {
  "test/adopt.test.ts": 320,
  "test/controllers/cluster-scaling.test.ts": 311,
  "test/cli-aws.test.ts": 270,
  "test/plans-policies.test.ts": 230,
  "test/bootstrap-load-balancer.test.ts": 190,
  "test/controllers/workload.test.ts": 183,
  "test/controllers/cluster.test.ts": 183,
  "test/secrets-canary.test.ts": 170,
  "test/bootstrap-controller.test.ts": 167,
  "test/adopt-controller.test.ts": 158,
  "test/orphan-controller.test.ts": 152,
  "test/bootstrap-delivery.test.ts": 150,
  "test/state-lock.test.ts": 148,
  "test/plans-drift.test.ts": 147,
  "test/install.test.ts": 127,
  "test/terraform-runner.test.ts": 124,
  "test/bootstrap-cli.test.ts": 120,
  "test/controllers/instances-under-load.test.ts": 102,
  "test/pipeline-s3.test.ts": 101,
  "test/plans-controller.test.ts": 101,
  "test/controllers/dev.test.ts": 98,
  "test/backend-s3.test.ts": 86,
  "test/stacks-validate.test.ts": 77,
  "test/plans-cli.test.ts": 70,
  "test/controllers/observability.test.ts": 65,
  "test/bootstrap-artifacts.test.ts": 58,
  "test/backend-credentials.test.ts": 56,
  "test/invalid-corpus-cli.test.ts": 53,
  "test/controllers/cluster-commands.test.ts": 51,
  "test/one-run-apply.test.ts": 50,
};

/**
 * The files of the table first, longest first, then vitest's own order for
 * the rest. Without a results cache (CI runs a clean clone) vitest orders by
 * file size, which started a 6-minute file among the last and left the other
 * worker idle meanwhile; the table gives the same order with or without a cache.
 */
export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = (file: TestSpecification) =>
      SLOW_FILE_SECONDS[relative(this.ctx.config.root, file.moduleId).replaceAll("\\", "/")] ?? 0;
    const known = files.filter((file) => seconds(file) > 0).sort((a, b) => seconds(b) - seconds(a));
    const rest = await super.sort(files.filter((file) => seconds(file) === 0));
    return [...known, ...rest];
  }
}
