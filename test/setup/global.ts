import { spawnSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { type MotoServer, startMotoServer } from "../../src/sandbox/moto.js";
import { findProviderMirror, MIRROR_ENV } from "../../src/terraform/mirror.js";

/**
 * Global setup of the e2e project: the prerequisites are checked once and a
 * missing one fails the run loudly (CI must never skip silently). One AWS
 * emulator serves the whole run; tests read its endpoint with
 * `inject("awsEndpoint")` and the provider mirror with `inject("providerMirror")`.
 */

declare module "vitest" {
  export interface ProvidedContext {
    /** moto on loopback, e.g. http://127.0.0.1:41234 */
    awsEndpoint: string;
    /** The folder holding registry.terraform.io (pass as providerMirror / --provider-mirror). */
    providerMirror: string;
    /** The Terraform binary the tests run. */
    terraformBin: string;
  }
}

let moto: MotoServer | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const terraformBin = process.env.CLUSTERFORM_TERRAFORM_BIN ?? "terraform";
  requireTerraform(terraformBin);
  const providerMirror = requireMirror();
  try {
    moto = await startMotoServer();
  } catch (error) {
    throw new Error(`e2e prerequisites: ${(error as Error).message}`);
  }
  project.provide("awsEndpoint", moto.endpoint);
  project.provide("providerMirror", providerMirror);
  project.provide("terraformBin", terraformBin);
  return async () => {
    await moto?.stop();
  };
}

function requireTerraform(binary: string): void {
  const result = spawnSync(binary, ["version"], {
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
  if (result.error || result.status !== 0) {
    throw new Error(
      `e2e prerequisites: cannot run "${binary} version" (${result.error?.message ?? result.stderr}); ` +
        "install terraform >= 1.5 (https://developer.hashicorp.com/terraform/install) or set CLUSTERFORM_TERRAFORM_BIN",
    );
  }
}

function requireMirror(): string {
  const mirror = findProviderMirror(undefined, process.env);
  if (!mirror) {
    throw new Error(
      "e2e prerequisites: no Terraform provider mirror with hashicorp/aws found; set " +
        `${MIRROR_ENV} to the folder holding registry.terraform.io ` +
        "(fill one with `terraform providers mirror DIR` on a machine with network)",
    );
  }
  return mirror;
}
