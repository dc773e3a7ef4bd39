import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "./helpers/cli.js";

// Export and CI-gate behaviour that needs no Terraform run.
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "clusterform-export-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

const kubernetesBackendCluster = `
apiVersion: cluster.k8s.io/v1alpha1
kind: Cluster
metadata:
  name: exported
  namespace: team-a
  annotations: { clusterform.io/backend: kubernetes }
spec:
  providerSpec:
    value: { apiVersion: awsprovider/v1alpha1, kind: AWSClusterProviderSpec, region: eu-west-1 }
---
apiVersion: cluster.k8s.io/v1alpha1
kind: Machine
metadata:
  name: m0
  namespace: team-a
  labels: { cluster.k8s.io/cluster-name: exported }
  annotations: { clusterform.io/adopt-instance-id: i-0123456789abcdef0 }
spec:
  providerSpec:
    value: { apiVersion: awsprovider/v1alpha1, kind: AWSMachineProviderSpec, ami: { id: ami-0123abcd }, instanceType: t3.micro }
  versions: { kubelet: "1.13.6" }
`;

describe("clusterform synth as an export for pipelines", () => {
  it("writes cdk.tf.json with the backend and import block, and a README naming what a pipeline needs", async () => {
    const file = join(work, "cluster.yaml");
    await writeFile(file, kubernetesBackendCluster);
    const result = await runCli(["synth", "-f", file, "-o", join(work, "out")]);
    expect(result.exitCode, result.stderr).toBe(0);
    const dir = join(work, "out/team-a/exported");
    const config = JSON.parse(await readFile(join(dir, "cdk.tf.json"), "utf8"));
    expect(config.terraform.backend).toEqual({
      kubernetes: { namespace: "team-a", secret_suffix: "team-a-exported" },
    });
    expect(config.import).toEqual([{ id: "i-0123456789abcdef0", to: "aws_instance.machine_m0" }]);
    const readme = await readFile(join(dir, "README.md"), "utf8");
    expect(readme).toContain("# Cluster team-a/exported");
    expect(readme).toContain("Secret `tfstate-default-team-a-exported` in namespace `team-a`");
    expect(readme).toContain("KUBE_CONFIG_PATH");
    expect(readme).toContain("`aws_instance.machine_m0` imports existing `i-0123456789abcdef0`");
  });
});

describe("clusterform plan exit codes for CI gates", () => {
  const invalid = join(REPO_ROOT, "fixtures/invalid/missing-instance-type.yaml");

  it("keeps 2 for invalid manifests by default", async () => {
    const result = await runCli(["plan", "-f", invalid, "--state-dir", join(work, "state")]);
    expect(result.exitCode).toBe(2);
  });

  it("makes invalid manifests a failure (1) with --detailed-exitcode, where 2 means changes", async () => {
    const result = await runCli([
      "plan",
      "-f",
      invalid,
      "--state-dir",
      join(work, "state"),
      "--detailed-exitcode",
      "-o",
      "json",
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("invalid manifests");
  });

  it("refuses an s3 backend without a bucket, naming the Cluster and the annotation", async () => {
    const file = join(work, "no-bucket.yaml");
    await writeFile(
      file,
      kubernetesBackendCluster.replace("clusterform.io/backend: kubernetes", "clusterform.io/backend: s3"),
    );
    const result = await runCli(["synth", "-f", file, "-o", join(work, "out2")]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'Cluster team-a/exported: metadata.annotations["clusterform.io/backend"]: the s3 backend needs a bucket',
    );
  });
});
