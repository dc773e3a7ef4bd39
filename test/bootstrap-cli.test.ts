import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { stringify } from "yaml";
import { AWS_PROVIDER_ID_TEMPLATE } from "../src/bootstrap/index.js";
import { describeInstances, describeInstanceUserData } from "../src/sandbox/ec2.js";
import { CONTROL_PLANE_ENDPOINT_PLACEHOLDER } from "../stacks/index.js";
import { type CliResult, runCli, runSandboxCli } from "./helpers/cli.js";

// File mode bootstrap through the real CLI, terraform and the AWS emulator:
// one small cluster (a control plane in InitMachine endpoint mode, no load
// balancer: fast, and a worker), applied once and inspected.
const endpoint = inject("awsEndpoint");
const providerMirror = inject("providerMirror");
const CLUSTER = "bootcli";

const providerSpec = {
  value: {
    apiVersion: "awsprovider/v1alpha1",
    kind: "AWSMachineProviderSpec",
    ami: { id: "ami-04681a1dbd79675a5" },
    instanceType: "t3.micro",
  },
};
const machine = (name: string, versions: Record<string, string>) => ({
  apiVersion: "cluster.k8s.io/v1alpha1",
  kind: "Machine",
  metadata: { name, namespace: "default", labels: { "cluster.k8s.io/cluster-name": CLUSTER } },
  spec: { providerSpec, versions },
});
const manifests = [
  {
    apiVersion: "cluster.k8s.io/v1alpha1",
    kind: "Cluster",
    metadata: { name: CLUSTER, namespace: "default" },
    spec: {
      clusterNetwork: { pods: { cidrBlocks: ["192.168.0.0/16"] } },
      providerSpec: {
        value: {
          apiVersion: "awsprovider/v1alpha1",
          kind: "AWSClusterProviderSpec",
          region: "us-east-1",
          networkSpec: { vpc: { cidrBlock: "10.41.0.0/16" } },
          controlPlaneEndpoint: { type: "InitMachine" },
        },
      },
    },
  },
  machine("bootcli-cp-0", { kubelet: "1.13.6", controlPlane: "1.13.6" }),
  machine("bootcli-w-0", { kubelet: "1.13.6" }),
];

let work: string;
let file: string;
let stateDir: string;
let applied: CliResult;
const target = () => ({ file, stateDir, endpoint, providerMirror });
const workDir = () => join(stateDir, "default", CLUSTER);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.map((e) => join(e.parentPath, e.name));
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "clusterform-bootstrap-cli-"));
  file = join(work, "cluster.yaml");
  stateDir = join(work, "state");
  await writeFile(file, manifests.map((m) => stringify(m)).join("---\n"));
  applied = await runSandboxCli("apply", target(), "--auto-approve", "-o", "json");
}, 900_000);

// No destroy: it asserted nothing, and the emulator lives for one run only,
// its instances told apart by the cluster tag (file-mode destroy is tested in
// test/cli-aws.test.ts).
afterAll(() => rm(work, { recursive: true, force: true }));

describe("file mode bootstrap (clusterform apply, kubeconfig)", () => {
  it("applies, and names the kubeconfig file without printing it", async () => {
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(applied.stderr).toContain("workload cluster kubeconfig (0600, not printed):");
    expect(applied.stderr).toContain(`clusterform kubeconfig ${CLUSTER} -n default --state-dir`);
    expect(`${applied.stdout}${applied.stderr}`).not.toContain("client-key-data");
  });

  it("keeps every piece in 0600 files under 0700 directories, none in the stack or the output", async () => {
    const dir = join(workDir(), "bootstrap");
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const paths = await filesUnder(dir);
    const names = paths.map((p) => p.slice(dir.length + 1)).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        "init-machine",
        "kubeconfig",
        "machines/bootcli-cp-0.cloud-config",
        "machines/bootcli-w-0.cloud-config",
        "pki/ca.crt",
        "pki/ca.key",
        "pki/etcd.key",
        "pki/front-proxy.key",
        "pki/sa.key",
        "token.json",
      ]),
    );
    for (const path of paths) {
      const info = await stat(path);
      expect(info.mode & 0o777, path).toBe(info.isDirectory() ? 0o700 : 0o600);
    }
    expect((await readFile(join(dir, "init-machine"), "utf8")).trim()).toBe("bootcli-cp-0");
    const caKey = (await readFile(join(dir, "pki/ca.key"), "utf8")).split("\n")[1] ?? "";
    const token = (JSON.parse(await readFile(join(dir, "token.json"), "utf8")) as { token: string }).token;
    expect(caKey.length).toBeGreaterThan(20);
    const stack = await readFile(join(workDir(), "cdk.tf.json"), "utf8");
    for (const secret of [caKey, token]) {
      expect(stack).not.toContain(secret);
      expect(applied.stdout).not.toContain(secret);
      expect(applied.stderr).not.toContain(secret);
    }
  });

  it("gives the control plane kubeadm init and the worker a join without a private key", async () => {
    const instances = await describeInstances(endpoint, {
      "tag:clusterform.io/cluster": `default/${CLUSTER}`,
    });
    expect(instances.map((i) => i.tags.Name).sort()).toEqual(["bootcli-cp-0", "bootcli-w-0"]);
    for (const instance of instances) {
      const userData = gunzipSync(await describeInstanceUserData(endpoint, instance.instanceId)).toString();
      // cloud-init renders it as jinja first: the kubelet's provider-id comes from the instance's data.
      expect(userData.startsWith("## template: jinja\n#cloud-config\n")).toBe(true);
      expect(userData).toContain(AWS_PROVIDER_ID_TEMPLATE);
      expect(userData).not.toContain(CONTROL_PLANE_ENDPOINT_PLACEHOLDER);
      const kept = await readFile(
        join(workDir(), "bootstrap", "machines", `${instance.tags.Name}.cloud-config`),
        "utf8",
      );
      expect(kept.split("\n").slice(0, 2)).toEqual(["## template: jinja", "#cloud-config"]);
      if (instance.tags.Name === "bootcli-cp-0") {
        expect(userData).toContain("kind: InitConfiguration");
        expect(userData).toContain("kubernetesVersion: v1.13.6");
        expect(userData).toContain("PRIVATE KEY");
      } else {
        expect(userData).toContain("kind: JoinConfiguration");
        expect(userData).not.toContain("InitConfiguration");
        expect(userData).not.toContain("PRIVATE KEY");
      }
    }
  });

  it("clusterform kubeconfig prints a path whose file real kubectl loads", async () => {
    const result = await runCli(["kubeconfig", CLUSTER, "-f", file, "--state-dir", stateDir]);
    expect(result.exitCode, result.stderr).toBe(0);
    const path = result.stdout.trim();
    expect(path).toBe(join(workDir(), "bootstrap", "kubeconfig"));
    expect(result.stdout).not.toContain("client-key-data");
    const view = await execa("kubectl", ["config", "view", "--raw", "-o", "json", "--kubeconfig", path]);
    const config = JSON.parse(view.stdout) as {
      clusters: { cluster: { server: string } }[];
      users: { user: Record<string, string> }[];
    };
    expect(config.clusters[0]?.cluster.server).toMatch(/^https:\/\/10\.41\.\d+\.\d+:6443$/);
    expect(config.users[0]?.user["client-key-data"]).toBeTruthy();
  });

  it("clusterform kubeconfig names what to run for a cluster not applied yet", async () => {
    const result = await runCli(["kubeconfig", "other", "-n", "default", "--state-dir", stateDir]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Cluster default/other is not bootstrapped yet");
    expect(result.stderr).toContain("clusterform apply");
  });

  it("plans no change on the next run (every Machine's kept data passed again)", async () => {
    const result = await runSandboxCli("plan", target(), "--detailed-exitcode");
    expect(result.exitCode, result.stderr).toBe(0);
  });
});
