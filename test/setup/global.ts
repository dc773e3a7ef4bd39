import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { AUDIT_DIR_ENV } from "../../src/control-plane/audit.js";
import { checkAuditDir } from "../../src/deploy/audit-records.js";
import { describeGrants } from "../../src/deploy/rbac-check.js";
import { type MotoServer, startMotoServer } from "../../src/sandbox/moto.js";
import { findProviderMirror, MIRROR_ENV } from "../../src/terraform/mirror.js";

/**
 * Global setup of the e2e project: the prerequisites are checked once and a
 * missing one fails the run loudly (CI must never skip silently). One AWS
 * emulator serves the whole run; tests read its endpoint with
 * `inject("awsEndpoint")` and the provider mirror with `inject("providerMirror")`.
 *
 * Every embedded control plane of the run audits its requests into one
 * directory ($CLUSTERFORM_AUDIT_DIR, inherited by the test workers and the
 * CLI processes they start); at the end the shipped RBAC rules are checked
 * against it (src/deploy/rbac-check.ts): any denied request fails the run, and
 * so does a grant nothing used once every e2e file has run (checkShippedRbac).
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
  const auditDir = process.env[AUDIT_DIR_ENV] ?? mkdtempSync(join(tmpdir(), "cf-audit-"));
  process.env[AUDIT_DIR_ENV] = auditDir;
  return async () => {
    await moto?.stop();
    await checkShippedRbac(project, auditDir);
  };
}

/**
 * Denied requests always fail the run. So do grants no request used, once the
 * run was complete: every e2e file ran, and passed or was skipped whole (a
 * skipped file, e.g. test/opentofu.test.ts without a tofu binary, makes no
 * requests, so it cannot hide a use). A partial or failing run cannot tell an
 * unused grant from an untested one, so it only checks denials.
 */
async function checkShippedRbac(project: TestProject, auditDir: string): Promise<void> {
  const findings = checkAuditDir(auditDir);
  const problems: string[] = [];
  if (findings.denied.length)
    problems.push(`requests the shipped RBAC rules deny: ${describeGrants(findings.denied)}`);
  const complete = await isCompleteRun(project);
  if (complete && findings.unused.length)
    problems.push(
      `grants no e2e test used (remove them, or add the test): ${describeGrants(findings.unused)}`,
    );
  const scope = complete ? "the whole e2e suite" : "a partial e2e run (unused grants not judged)";
  if (problems.length)
    throw new Error(
      `least-privilege RBAC (src/deploy/rbac-rules.ts; audit in ${auditDir}, ${scope}):\n${problems.join("\n")}`,
    );
  console.log(`RBAC: ${findings.requests} controller requests of ${scope} allowed by the shipped rules`);
}

/** Every e2e file ran, unfiltered, and each passed or was skipped as a whole. */
async function isCompleteRun(project: TestProject): Promise<boolean> {
  if (project.vitest.config.testNamePattern) return false;
  const all = new Set((await project.globTestFiles()).testFiles);
  const ran = project.vitest.state.getFiles().filter((file) => all.has(file.filepath));
  return ran.length === all.size && ran.every((file) => ["pass", "skip"].includes(file.result?.state ?? ""));
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
