import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPlannedPriorState, readZipEntry } from "./plan-file.js";

const testdata = join(import.meta.dirname, "testdata");

describe("readPlannedPriorState", () => {
  it("reads the lineage and serial of the state a saved plan was made against", async () => {
    // Made by Terraform 1.11 from a terraform_data resource applied once (serial 1), then changed.
    const state = JSON.parse((await readPlannedPriorState(join(testdata, "terraform-data.tfplan"))) ?? "{}");
    expect(state).toMatchObject({ serial: 1, lineage: "12ef1d38-ca99-fb5c-cc32-ea12120424d8" });
    expect(state.resources).toHaveLength(1);
  });

  it("gives Terraform's empty state (no lineage) for a plan made without a prior state", async () => {
    const state = JSON.parse((await readPlannedPriorState(join(testdata, "no-prior-state.tfplan"))) ?? "{}");
    expect(state).toMatchObject({ serial: 0, lineage: "", resources: [] });
  });
});

describe("readZipEntry", () => {
  it("returns undefined for a missing entry or bytes that are no zip", async () => {
    const zip = await readFile(join(testdata, "terraform-data.tfplan"));
    expect(readZipEntry(zip, "no-such-entry")).toBeUndefined();
    expect(readZipEntry(Buffer.from("not a zip at all"), "tfstate")).toBeUndefined();
    expect(readZipEntry(zip, "tfconfig/m-/main.tf.json")?.toString()).toContain("terraform_data");
  });
});
