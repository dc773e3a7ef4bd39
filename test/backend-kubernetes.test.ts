import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { BackendChangedError } from "../src/terraform/errors.js";
import { TerraformWorkspace } from "../src/terraform/workspace.js";
import { backendBlock } from "../stacks/backend.js";
import { startTestControlPlane, type TestControlPlane } from "./helpers/control-plane.js";

// The kubernetes backend block against the embedded control plane (Secrets
// and Leases), and the runner's handling of a backend change. A built-in
// resource (terraform_data) keeps Terraform cheap: no provider to load.
const terraformBin = inject("terraformBin");
let controlPlane: TestControlPlane;
let dir: string;

const config = (backend: Record<string, unknown>, input: string) =>
  `${JSON.stringify({ terraform: { backend }, resource: { terraform_data: { marker: { input } } } })}\n`;
const kubernetes = backendBlock({ type: "kubernetes", namespace: "default", secretSuffix: "default-demo" });
const local = backendBlock({ type: "local" });

beforeAll(async () => {
  controlPlane = await startTestControlPlane();
  dir = await mkdtemp(join(tmpdir(), "cf-backend-k8s-"));
});
afterAll(async () => {
  await controlPlane?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("kubernetes backend on the embedded control plane", () => {
  const workspace = () =>
    new TerraformWorkspace({
      dir,
      binary: terraformBin,
      providerMirror: false,
      env: { PATH: process.env.PATH ?? "", KUBE_CONFIG_PATH: controlPlane.kubeconfigPath },
    });

  it("moves an empty local workspace to the kubernetes backend (-reconfigure) and keeps state in a Secret", async () => {
    const ws = workspace();
    await ws.writeConfig(config(local, "a"));
    expect((await ws.init()).ran).toBe(true);
    await ws.writeConfig(config(kubernetes, "a"));
    const plan = await ws.plan();
    expect(plan.summary.add).toBe(1);
    await ws.apply(plan.planFile);
    const secret = await controlPlane.kubectlOk([
      "get",
      "secret",
      "tfstate-default-default-demo",
      "-o",
      "name",
    ]);
    expect(secret.trim()).toBe("secret/tfstate-default-default-demo");
    expect((await ws.plan()).summary.hasChanges).toBe(false);
  });

  it("refuses to leave the kubernetes state behind when the backend changes back", async () => {
    const ws = workspace();
    await ws.writeConfig(config(local, "a"));
    await expect(ws.plan()).rejects.toBeInstanceOf(BackendChangedError);
  });
});
