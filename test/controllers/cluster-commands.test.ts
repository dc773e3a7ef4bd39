import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ControlPlane, startControlPlane } from "../../src/control-plane/index.js";
import { eventually } from "../helpers/control-plane.js";

// `clusterform install-crds` and `clusterform run` against a bare control
// plane (no CRDs yet), as against any cluster. The cluster applied here is
// invalid, so no Terraform runs: this is about the commands, not convergence.
const ROOT = resolve(import.meta.dirname, "../..");
const NAMESPACE = "commands-e2e";

let work: string;
let controlPlane: ControlPlane;
let kubeconfig: string;

const cli = (args: string[]) =>
  execa(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/main.ts"), ...args], {
    cwd: ROOT,
    reject: false,
    stdin: "ignore",
  });
const kubectl = (args: string[], input?: string) =>
  execa("kubectl", args, {
    env: { KUBECONFIG: kubeconfig, HOME: work },
    reject: false,
    ...(input ? { input } : {}),
  });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "cf-commands-e2e-"));
  kubeconfig = join(work, "kubeconfig");
  controlPlane = await startControlPlane({ dataDir: join(work, "data"), kubeconfigOut: kubeconfig });
});

afterAll(async () => {
  await controlPlane?.stop();
  await rm(work, { recursive: true, force: true });
});

describe("clusterform install-crds", () => {
  it("creates the five CRDs, then updates them in place", async () => {
    const first = await cli(["install-crds", "--kubeconfig", kubeconfig]);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout.match(/ created$/gm)).toHaveLength(5);
    const again = await cli(["install-crds", "--kubeconfig", kubeconfig]);
    expect(again.stdout.match(/ updated$/gm)).toHaveLength(5);
    const crds = await kubectl(["get", "crds", "-o", "name"]);
    expect(crds.stdout).toContain("machines.cluster.k8s.io");
  });
});

describe("clusterform run", () => {
  it("reconciles with a leader Lease, reports an invalid Machine in status, and exits 0 on SIGINT", async () => {
    await kubectl(["create", "namespace", NAMESPACE]);
    const manifests = `apiVersion: cluster.k8s.io/v1alpha1
kind: Cluster
metadata: {name: delta, namespace: ${NAMESPACE}}
spec:
  providerSpec:
    value: {apiVersion: awsprovider/v1alpha1, kind: AWSClusterProviderSpec, region: us-east-1}
---
apiVersion: cluster.k8s.io/v1alpha1
kind: Machine
metadata:
  name: delta-m1
  namespace: ${NAMESPACE}
  labels: {cluster.k8s.io/cluster-name: delta}
spec:
  providerSpec:
    value: {apiVersion: awsprovider/v1alpha1, kind: AWSMachineProviderSpec, instanceType: t3.micro}
`;
    const applied = await kubectl(["apply", "-f", "-"], manifests);
    expect(applied.exitCode, applied.stderr).toBe(0);
    const run = execa(
      process.execPath,
      [
        "--import",
        "tsx",
        join(ROOT, "src/cli/main.ts"),
        "run",
        "--kubeconfig",
        kubeconfig,
        "--namespace",
        NAMESPACE,
        "--leader-elect",
        "--state-dir",
        join(work, "state"),
      ],
      { cwd: ROOT, reject: false, stdin: "ignore" },
    );
    const status = await eventually(
      async () => {
        const got = await kubectl([
          "get",
          "machine",
          "delta-m1",
          "-n",
          NAMESPACE,
          "-o",
          "jsonpath={.status.errorReason}|{.status.errorMessage}|{.metadata.finalizers}",
        ]);
        return got.stdout.startsWith("InvalidConfiguration") ? got.stdout : undefined;
      },
      "the Machine's status error",
      60_000,
    );
    expect(status).toMatch(/ami/);
    expect(status).toContain("machine.cluster.k8s.io");
    const lease = await kubectl([
      "get",
      "lease",
      "clusterform-controller",
      "-n",
      NAMESPACE,
      "-o",
      "jsonpath={.spec.holderIdentity}",
    ]);
    expect(lease.stdout).not.toBe("");

    run.kill("SIGINT");
    const result = await run;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain("SIGINT: shutting down");
  });
});

describe("clusterform kubeconfig against a management cluster", () => {
  it("prints Secret <cluster>-kubeconfig's value, and says what it waits on before there is one", async () => {
    // Cluster "delta" exists (applied above); the controller has not bootstrapped it (it is invalid).
    const missing = await cli(["kubeconfig", "delta", "-n", NAMESPACE, "--kubeconfig", kubeconfig]);
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toContain(`Cluster ${NAMESPACE}/delta is not bootstrapped yet`);
    expect(missing.stderr).toContain(`Secret ${NAMESPACE}/delta-kubeconfig`);

    // The Secret in the shape the controller writes it (bootstrap-controller.test.ts checks the controller's own).
    const workloadConfig = "apiVersion: v1\nkind: Config\nclusters: []\n";
    const created = await kubectl([
      "create",
      "secret",
      "generic",
      "delta-kubeconfig",
      "-n",
      NAMESPACE,
      `--from-literal=value=${workloadConfig}`,
    ]);
    expect(created.exitCode, created.stderr).toBe(0);
    const printed = await cli(["kubeconfig", "delta", "-n", NAMESPACE, "--kubeconfig", kubeconfig]);
    expect(printed.exitCode, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(workloadConfig.trimEnd()); // execa drops the final newline
  });
});
