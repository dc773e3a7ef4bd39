import { defineConfig } from "vitest/config";
import { SlowFirstSequencer } from "./test/setup/slow-first-sequencer.js";

// Unit tests live beside the code; end-to-end tests (real terraform, the AWS
// emulator, kubectl) live in test/ and share one emulator per run.
export default defineConfig({
  test: {
    // Two test files at once, even on 2 cores (vitest would run one): most of
    // an e2e test is waiting on Terraform, the emulator or a watch, so two
    // overlap well (measured on 2 cores: the e2e run 20 min -> 13 min).
    maxWorkers: 2,
    // The slowest e2e files start first, so no long file starts last while the
    // other worker sits idle (vitest alone orders a clean clone by file size).
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "stacks/**/*.test.ts"],
          // Unit tests run beside the e2e files on 2 cores: key generation and
          // synthesis can take more than vitest's 5 s there; a hang still fails.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/**/*.test.ts"],
          globalSetup: ["test/setup/global.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
