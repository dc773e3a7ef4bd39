import { defineConfig } from "vitest/config";
import { SlowFirstSequencer } from "./test/setup/slow-first-sequencer.js";

// Unit tests live beside the code; end-to-end tests (real terraform, the AWS
// emulator, kubectl) live in test/ and share one emulator per run.
export default defineConfig({
  test: {
    // Three test files at once on 2 cores: an e2e file waits on the emulator
    // and watches part of the time, but Terraform's plans (~15 s CPU each) keep
    // the cores busy. Measured here, whole suite: 2 workers 2235 s, 4 workers
    // 1904 s with the CPU 100% busy (load ~10); 3 workers 1569 s at a load of
    // ~5 (docs/performance.md, "The test suite's own time").
    maxWorkers: 3,
    // The slowest e2e files start first, so no long file starts last while the
    // other worker sits idle (vitest alone orders a clean clone by file size).
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        test: {
          name: "unit",
          // One module graph per worker, not per file: cdktf and the provider
          // bindings load once (unit project alone: 63 s -> 49 s, collect
          // 70 s -> 53 s). The unit tests share no mocks, env stubs or globals.
          isolate: false,
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
