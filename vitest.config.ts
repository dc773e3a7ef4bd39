import { defineConfig } from "vitest/config";

// Unit tests live beside the code; end-to-end tests (real terraform, the AWS
// emulator, kubectl) live in test/ and share one emulator per run.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "stacks/**/*.test.ts"],
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
