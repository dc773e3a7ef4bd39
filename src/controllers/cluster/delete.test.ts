import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasTerraformState } from "./delete.js";

function workDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "cf-delete-"));
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, name), JSON.stringify(content));
  return dir;
}

describe("hasTerraformState (whether a deleted Cluster needs a destroy)", () => {
  it("reads the local state: resources mean a destroy, none or no file mean nothing to do", async () => {
    const local = { terraform: { backend: { local: { path: "terraform.tfstate" } } } };
    expect(await hasTerraformState(workDir({ "cdk.tf.json": local }))).toBe(false);
    expect(
      await hasTerraformState(workDir({ "cdk.tf.json": local, "terraform.tfstate": { resources: [] } })),
    ).toBe(false);
    expect(
      await hasTerraformState(
        workDir({ "cdk.tf.json": local, "terraform.tfstate": { resources: [{ type: "aws_vpc" }] } }),
      ),
    ).toBe(true);
  });

  it("asks Terraform when the state lives in a remote backend (no local file says anything)", async () => {
    const s3 = { terraform: { backend: { s3: { bucket: "b", key: "k" } } } };
    expect(await hasTerraformState(workDir({ "cdk.tf.json": s3 }))).toBe(true);
  });
});
