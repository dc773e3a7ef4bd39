import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mayHoldResources } from "./state-files.js";

function workDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "cf-delete-"));
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, name), JSON.stringify(content));
  return dir;
}

describe("mayHoldResources (whether a deleted Cluster needs a destroy)", () => {
  it("reads the local state: resources mean a destroy, none or no file mean nothing to do", async () => {
    const local = { terraform: { backend: { local: { path: "terraform.tfstate" } } } };
    expect(await mayHoldResources(workDir({ "cdk.tf.json": local }), "cdk.tf.json")).toBe(false);
    expect(
      await mayHoldResources(
        workDir({ "cdk.tf.json": local, "terraform.tfstate": { resources: [] } }),
        "cdk.tf.json",
      ),
    ).toBe(false);
    expect(
      await mayHoldResources(
        workDir({ "cdk.tf.json": local, "terraform.tfstate": { resources: [{ type: "aws_vpc" }] } }),
        "cdk.tf.json",
      ),
    ).toBe(true);
  });

  it("never takes an unreadable state or configuration for an empty one", async () => {
    const local = { terraform: { backend: { local: { path: "terraform.tfstate" } } } };
    const dir = workDir({ "cdk.tf.json": local });
    writeFileSync(join(dir, "terraform.tfstate"), "{not json");
    expect(await mayHoldResources(dir, "cdk.tf.json")).toBe(true);
    const broken = workDir({});
    writeFileSync(join(broken, "cdk.tf.json"), "{not json");
    expect(await mayHoldResources(broken, "cdk.tf.json")).toBe(true);
  });

  it("reads the state at the local backend's own path", async () => {
    const local = { terraform: { backend: { local: { path: "custom.tfstate" } } } };
    const dir = workDir({ "cdk.tf.json": local, "custom.tfstate": { resources: [{ type: "aws_vpc" }] } });
    expect(await mayHoldResources(dir, "cdk.tf.json")).toBe(true);
  });

  it("asks Terraform when the state lives in a remote backend (no local file says anything)", async () => {
    const s3 = { terraform: { backend: { s3: { bucket: "b", key: "k" } } } };
    expect(await mayHoldResources(workDir({ "cdk.tf.json": s3 }), "cdk.tf.json")).toBe(true);
  });
});
