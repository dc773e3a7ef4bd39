import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Seconds each slow e2e file took in a full run (2 cores, under load). Only
 * the order they give matters: refresh them when a file's time changes a lot.
 */
export const SLOW_FILE_SECONDS: Readonly<Record<string, number>> = {
  "test/controllers/cluster-scaling.test.ts": 359,
  "test/cli-aws.test.ts": 280,
  "test/adopt.test.ts": 230,
  "test/bootstrap-cli.test.ts": 208,
  "test/plans-policies.test.ts": 159,
  "test/controllers/instances-under-load.test.ts": 143,
  "test/controllers/cluster.test.ts": 133,
  "test/adopt-controller.test.ts": 123,
  "test/bootstrap-controller.test.ts": 119,
  "test/plans-controller.test.ts": 117,
  "test/secrets-canary.test.ts": 116,
  "test/state-lock.test.ts": 116,
  "test/plans-drift.test.ts": 107,
  "test/pipeline-s3.test.ts": 96,
  "test/stacks-validate.test.ts": 89,
  "test/terraform-runner.test.ts": 79,
  "test/controllers/workload.test.ts": 75,
  "test/install.test.ts": 65,
  "test/controllers/observability.test.ts": 58,
  "test/invalid-corpus-cli.test.ts": 45,
  "test/plans-cli.test.ts": 41,
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
