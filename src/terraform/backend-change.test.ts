import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backendChangeFlags } from "./backend-change.js";
import { BackendChangedError } from "./errors.js";

const local = { terraform: { backend: { local: { path: "terraform.tfstate" } } } };
const s3 = { terraform: { backend: { s3: { bucket: "tf-state", key: "k", region: "us-east-1" } } } };
let dir: string;

async function initialisedWith(type: string, config: Record<string, unknown>) {
  await mkdir(join(dir, ".terraform"), { recursive: true });
  await writeFile(
    join(dir, ".terraform", "terraform.tfstate"),
    JSON.stringify({ backend: { type, config } }),
  );
}
const localState = (resources: number) =>
  writeFile(join(dir, "terraform.tfstate"), JSON.stringify({ resources: Array(resources).fill({}) }));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cf-backend-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("init flags for a changed backend", () => {
  it("needs none on first init; reconfigures the same backend (defaults Terraform adds ignored)", async () => {
    expect(await backendChangeFlags(dir, s3)).toEqual([]);
    await initialisedWith("s3", { bucket: "tf-state", key: "k", region: "us-east-1", encrypt: null });
    expect(await backendChangeFlags(dir, s3)).toEqual(["-reconfigure"]);
  });

  it("reconfigures from a local backend whose state holds nothing", async () => {
    await initialisedWith("local", { path: "terraform.tfstate" });
    await localState(0);
    expect(await backendChangeFlags(dir, s3)).toEqual(["-reconfigure"]);
  });

  it("refuses to leave behind a local state with resources, naming both backends", async () => {
    await initialisedWith("local", { path: "terraform.tfstate" });
    await localState(3);
    await expect(backendChangeFlags(dir, s3)).rejects.toThrow(BackendChangedError);
    await expect(backendChangeFlags(dir, s3)).rejects.toThrow(
      /from local \(terraform.tfstate\) to s3 \(tf-state\)/,
    );
  });

  it("refuses to switch away from a remote backend, which may hold a pipeline's resources", async () => {
    await initialisedWith("s3", { bucket: "tf-state", key: "k", region: "us-east-1" });
    await expect(backendChangeFlags(dir, local)).rejects.toMatchObject({ reason: "BackendChanged" });
    await expect(
      backendChangeFlags(dir, {
        terraform: { backend: { s3: { bucket: "other", key: "k", region: "us-east-1" } } },
      }),
    ).rejects.toThrow(BackendChangedError);
  });
});
