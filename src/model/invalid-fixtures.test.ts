import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { formatFieldError } from "../api/field-error.js";
import { modelsFromManifests } from "./from-manifests.js";

// Each fixtures/invalid file opens with `# expect: <formatted error>` lines:
// loading it alone must give exactly those errors, no more, no fewer. The
// corpus-*.yaml files are generated from scripts/invalid-corpus.ts
// (npm run gen:invalid); the others are written by hand.
const root = join(import.meta.dirname, "..", "..");
const dir = join(root, "fixtures", "invalid");
const files = readdirSync(dir)
  .filter((name) => name.endsWith(".yaml"))
  .sort();

function expectedErrors(file: string): string[] {
  const lines = readFileSync(join(dir, file), "utf8").split("\n");
  return lines.filter((line) => line.startsWith("# expect: ")).map((line) => line.slice("# expect: ".length));
}

describe("fixtures/invalid", () => {
  it("has one file per kind of mistake, each stating its errors", () => {
    expect(files.length).toBeGreaterThanOrEqual(150);
    for (const file of files) expect(expectedErrors(file), file).not.toEqual([]);
  });

  it.each(files)("%s yields exactly its expected errors", async (file) => {
    const result = await modelsFromManifests([relative(process.cwd(), join(dir, file))]);
    expect(result.allErrors.map(formatFieldError).sort()).toEqual(expectedErrors(file).sort());
  });

  it("keeps a cluster with an error out of the models but builds the valid one beside it", async () => {
    const result = await modelsFromManifests([join(dir, "one-cluster-invalid-another-valid.yaml")]);
    expect(result.models.map((model) => model.name)).toEqual(["c2"]);
    expect(result.invalid.map((cluster) => cluster.name)).toEqual(["c1"]);
    expect(result.errors).toEqual([]);
  });
});
