import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The module boundaries in biome.json, proven on probe files: each forbidden
// import must fail `biome lint`, and the allowed ones must pass.

const repo = fileURLToPath(new URL("..", import.meta.url));
const probes: Record<string, string> = {
  // allowed: the public face of stacks, util from anywhere, converge from controllers
  "src/controllers/cluster/allowed.ts":
    'import { synthesizeStack } from "../../../stacks/index.js";\nimport { sha256 } from "../../util/hash.js";\nimport { ClusterRun } from "../../converge/cluster-run.js";\nexport const used = [synthesizeStack, sha256, ClusterRun];\n',
  // forbidden: a stacks internal
  "src/controllers/cluster/stacks-internal.ts":
    'import { instanceAddress } from "../../../stacks/adoption.js";\nexport const used = instanceAddress;\n',
  // forbidden: a TerraformWorkspace built outside the façade
  "src/controllers/cluster/own-workspace.ts":
    'import { TerraformWorkspace } from "../../terraform/workspace.js";\nexport const used = TerraformWorkspace;\n',
  // forbidden: api importing upwards
  "src/api/upward.ts":
    'import { reconcileCluster } from "../controllers/cluster/reconcile.js";\nexport const used = reconcileCluster;\n',
  // forbidden: the runner knowing Kubernetes or the API types
  "src/terraform/kubernetes.ts":
    'import { KubeConfig } from "@kubernetes/client-node";\nexport const used = KubeConfig;\n',
  "src/terraform/api-types.ts":
    'import { ConditionType } from "../api/conditions.js";\nexport const used = ConditionType;\n',
  // forbidden: the metrics module reaching into the runtime it serves
  // src/deploy: the controller's User-Agent is allowed, the rest of the controllers and the CLI are not
  "src/deploy/allowed.ts":
    'import { CONTROLLER_USER_AGENT } from "../controllers/runtime/user-agent.js";\nexport const used = CONTROLLER_USER_AGENT;\n',
  "src/deploy/upward.ts":
    'import { Manager } from "../controllers/runtime/manager.js";\nimport { runCommand } from "../cli/commands/run.js";\nexport const used = [Manager, runCommand];\n',
  "src/metrics/upward.ts":
    'import { reconcileCluster } from "../controllers/cluster/reconcile.js";\nexport const used = reconcileCluster;\n',
  // allowed: bootstrap on api and util; forbidden: bootstrap reaching a driver or the runner
  "src/bootstrap/allowed.ts":
    'import { ConditionType } from "../api/conditions.js";\nimport { sha256 } from "../util/hash.js";\nexport const used = [ConditionType, sha256];\n',
  "src/bootstrap/driver.ts":
    'import { ClusterRun } from "../converge/cluster-run.js";\nexport const used = ClusterRun;\n',
  "src/bootstrap/kubeadm/runner.ts":
    'import { TerraformWorkspace } from "../../terraform/workspace.js";\nexport const used = TerraformWorkspace;\n',
  // src/cloud: util allowed; the controllers (or anything above) not
  "src/cloud/allowed.ts": 'import { sha256 } from "../util/hash.js";\nexport const used = sha256;\n',
  "src/cloud/upward.ts":
    'import { reconcileCluster } from "../controllers/cluster/reconcile.js";\nexport const used = reconcileCluster;\n',
  // forbidden: an import cycle
  "src/util/cycle-a.ts": 'import { b } from "./cycle-b.js";\nexport const a = (): number => b() + 1;\n',
  "src/util/cycle-b.ts": 'import { a } from "./cycle-a.js";\nexport const b = (): number => a();\n',
};
const stubs: Record<string, string> = {
  "src/controllers/runtime/user-agent.ts": "export const CONTROLLER_USER_AGENT = 1;\n",
  "src/controllers/runtime/manager.ts": "export const Manager = 1;\n",
  "src/cli/commands/run.ts": "export const runCommand = 1;\n",
  "stacks/index.ts": "export const synthesizeStack = 1;\n",
  "stacks/adoption.ts": "export const instanceAddress = 1;\n",
  "src/util/hash.ts": "export const sha256 = 1;\n",
  "src/converge/cluster-run.ts": "export const ClusterRun = 1;\n",
  "src/terraform/workspace.ts": "export const TerraformWorkspace = 1;\n",
  "src/controllers/cluster/reconcile.ts": "export const reconcileCluster = 1;\n",
  "src/api/conditions.ts": "export const ConditionType = 1;\n",
};

let dir: string;
let report: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cf-boundaries-"));
  await copyFile(join(repo, "biome.json"), join(dir, "biome.json"));
  for (const [path, text] of Object.entries({ ...stubs, ...probes })) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const biome = join(repo, "node_modules", ".bin", "biome");
  const result = await execa(biome, ["lint", "--vcs-enabled=false", "--max-diagnostics=100", "."], {
    cwd: dir,
    reject: false,
    env: { NO_COLOR: "1" },
  });
  report = `${result.stdout}\n${result.stderr}`;
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

function rulesFailing(path: string): string[] {
  const pattern = new RegExp(`^${path.replace(/[.]/g, "\\.")}:\\d+:\\d+ (lint/\\S+)`, "gm");
  return [...report.matchAll(pattern)].map((m) => m[1] ?? "");
}

describe("module boundaries (biome.json)", () => {
  it("lets src/ import stacks through stacks/index.ts, util and converge", () => {
    expect(rulesFailing("src/controllers/cluster/allowed.ts")).toEqual([]);
  });

  it("fails an import of a stacks internal from src/", () => {
    expect(rulesFailing("src/controllers/cluster/stacks-internal.ts")).toContain(
      "lint/style/noRestrictedImports",
    );
  });

  it("fails a TerraformWorkspace constructed outside src/converge", () => {
    expect(rulesFailing("src/controllers/cluster/own-workspace.ts")).toContain(
      "lint/style/noRestrictedImports",
    );
  });

  it("fails an upward import (api -> controllers)", () => {
    expect(rulesFailing("src/api/upward.ts")).toContain("lint/style/noRestrictedImports");
  });

  it("fails Kubernetes or API code in the Terraform runner", () => {
    expect(rulesFailing("src/terraform/kubernetes.ts")).toContain("lint/style/noRestrictedImports");
    expect(rulesFailing("src/terraform/api-types.ts")).toContain("lint/style/noRestrictedImports");
  });

  it("fails a project import in src/metrics (it depends on prom-client only)", () => {
    expect(rulesFailing("src/metrics/upward.ts")).toContain("lint/style/noRestrictedImports");
  });

  it("lets src/deploy import the controller's User-Agent and nothing else of the controllers or the CLI", () => {
    expect(rulesFailing("src/deploy/allowed.ts")).toEqual([]);
    expect(rulesFailing("src/deploy/upward.ts")).toEqual([
      "lint/style/noRestrictedImports",
      "lint/style/noRestrictedImports",
    ]);
  });

  it("keeps src/bootstrap pure: api and util allowed, drivers and the runner not", () => {
    expect(rulesFailing("src/bootstrap/allowed.ts")).toEqual([]);
    expect(rulesFailing("src/bootstrap/driver.ts")).toContain("lint/style/noRestrictedImports");
    expect(rulesFailing("src/bootstrap/kubeadm/runner.ts")).toContain("lint/style/noRestrictedImports");
  });

  it("keeps src/cloud below the drivers: util allowed, the controllers not", () => {
    expect(rulesFailing("src/cloud/allowed.ts")).toEqual([]);
    expect(rulesFailing("src/cloud/upward.ts")).toContain("lint/style/noRestrictedImports");
  });

  it("fails an import cycle", () => {
    expect(rulesFailing("src/util/cycle-a.ts")).toContain("lint/suspicious/noImportCycles");
    expect(rulesFailing("src/util/cycle-b.ts")).toContain("lint/suspicious/noImportCycles");
  });
});
