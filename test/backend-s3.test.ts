import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createBucket, getObject } from "../src/sandbox/s3.js";
import { runCli, runSandboxCli } from "./helpers/cli.js";
import { pipelineTerraform } from "./helpers/pipeline.js";

// One state in S3 (the emulator's) shared by clusterform and a plain
// Terraform pipeline run by hand in the exported directory.
const endpoint = inject("awsEndpoint");
const mirror = inject("providerMirror");
const terraformBin = inject("terraformBin");
const BUCKET = "clusterform-state-e2e";
const STATE_KEY = "pipelines/default/shared-state/terraform.tfstate";

const manifest = () => `
apiVersion: v1
kind: ConfigMap
metadata: { name: tf-backend }
data:
  bucket: ${BUCKET}
  keyPrefix: pipelines
  endpoint: ${endpoint}
---
apiVersion: cluster.k8s.io/v1alpha1
kind: Cluster
metadata:
  name: shared-state
  annotations:
    clusterform.io/backend: s3
    clusterform.io/backend-config: tf-backend
spec:
  providerSpec:
    value:
      apiVersion: awsprovider/v1alpha1
      kind: AWSClusterProviderSpec
      region: us-east-1
      networkSpec:
        vpc: { cidrBlock: 10.40.0.0/16 }
        subnets: [{ cidrBlock: 10.40.1.0/24, availabilityZone: us-east-1a, isPublic: true }]
`;

let work: string;
let file: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "clusterform-s3-"));
  file = join(work, "cluster.yaml");
  await writeFile(file, manifest());
  await createBucket(endpoint, BUCKET);
});

afterAll(() => rm(work, { recursive: true, force: true }));

describe("s3 backend shared with a pipeline", () => {
  it("converges with clusterform, then a plain terraform plan in the exported directory shows no changes", async () => {
    const stateDir = join(work, "state");
    const applied = await runSandboxCli(
      "apply",
      { file, stateDir, endpoint, providerMirror: mirror },
      "--auto-approve",
    );
    expect(applied.exitCode, applied.stderr).toBe(0);
    // The state went to the bucket, not to the working directory.
    const state = JSON.parse((await getObject(endpoint, BUCKET, STATE_KEY)) ?? "{}") as {
      resources?: unknown[];
    };
    expect(state.resources?.length).toBeGreaterThan(0);
    expect(existsSync(join(stateDir, "default/shared-state/terraform.tfstate"))).toBe(false);

    const out = join(work, "export");
    const synth = await runCli(["synth", "-f", file, "-o", out, "--aws-endpoint", endpoint]);
    expect(synth.exitCode, synth.stderr).toBe(0);
    const dir = join(out, "default/shared-state");
    const readme = await readFile(join(dir, "README.md"), "utf8");
    expect(readme).toContain(`s3://${BUCKET}/${STATE_KEY}`);
    expect(readme).toContain("terraform init -input=false");
    expect(readme).toContain("AWS_ACCESS_KEY_ID");

    // The pipeline: its own CLI config for the provider mirror, sandbox credentials, README's commands.
    const terraform = await pipelineTerraform({ work, dir, endpoint, providerMirror: mirror, terraformBin });
    const init = await terraform(["init", "-input=false", "-no-color"]);
    expect(init.exitCode, init.stderr).toBe(0);
    const plan = await terraform([
      "plan",
      "-input=false",
      "-no-color",
      "-detailed-exitcode",
      "-lock-timeout=30s",
    ]);
    expect(plan.exitCode, `${plan.stdout}\n${plan.stderr}`).toBe(0);
    expect(plan.stdout).toContain("No changes.");
  });
});
