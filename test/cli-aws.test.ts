import { cp, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import type { Cluster } from "../src/api/cluster.js";
import type { Machine } from "../src/api/machine.js";
import { liveInstances, type SandboxInstance } from "../src/sandbox/ec2.js";
import { REPO_ROOT, runCli, runSandboxCli } from "./helpers/cli.js";

// The AWS fixture converged by the real CLI, terraform, AWS provider and the
// emulator, step by step: each step builds on the state the previous left.
const endpoint = inject("awsEndpoint");
const mirror = inject("providerMirror");
const CLUSTER_TAG = "clusterform.io/cluster";
const CLUSTER = "default/workload-cluster-1";

/** A manifest document being edited (only the fields the tests touch). */
interface ManifestDoc {
  spec: { replicas?: number; providerSpec: { value: { instanceType?: string } } };
}

/** An object as `clusterform apply -o json` prints it. */
interface PrintedObject {
  kind: string;
  metadata: { name: string };
  spec: { providerID?: string };
  status: Machine["status"] & Cluster["status"] & { conditions?: { type: string; status: string }[] };
}

let work: string;
let manifests: string;
let stateDir: string;

const target = () => ({ file: manifests, stateDir, endpoint, providerMirror: mirror });
const live = (): Promise<SandboxInstance[]> => liveInstances(endpoint, { [`tag:${CLUSTER_TAG}`]: CLUSTER });

async function editManifest(file: string, edit: (doc: ManifestDoc) => void): Promise<void> {
  const path = join(manifests, file);
  const docs = parseAllDocuments(await readFile(path, "utf8")).map((d) => d.toJS() as ManifestDoc);
  for (const doc of docs) edit(doc);
  await writeFile(path, docs.map((d) => stringify(d)).join("---\n"));
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "clusterform-cli-"));
  manifests = join(work, "manifests");
  stateDir = join(work, "state");
  await cp(join(REPO_ROOT, "fixtures/aws"), manifests, { recursive: true });
  // Infrastructure steps only: bootstrap (on by default) is covered by test/bootstrap-cli.test.ts.
  const clusterFile = join(manifests, "cluster.yaml");
  const clusterYaml = await readFile(clusterFile, "utf8");
  await writeFile(
    clusterFile,
    clusterYaml.replace(
      "  name: workload-cluster-1\n",
      '  name: workload-cluster-1\n  annotations: {"clusterform.io/bootstrap": "disabled"}\n',
    ),
  );
});

// No destroy here: the last case destroys (and asserts it), and the emulator
// lives for one run only, its instances told apart by the cluster tag.
afterAll(() => rm(work, { recursive: true, force: true }));

describe("clusterform CLI against the AWS emulator", () => {
  let firstIds: Map<string, string>;

  it("refuses invalid manifests with every error listed, exit 2, running nothing", async () => {
    const result = await runCli([
      "apply",
      "-f",
      join(REPO_ROOT, "fixtures/invalid/missing-instance-type.yaml"),
      "--state-dir",
      stateDir,
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("spec.providerSpec.value.instanceType: required");
    await expect(stat(stateDir)).rejects.toThrow();
  });

  it("without a terminal and without --auto-approve, apply refuses and changes nothing", async () => {
    const result = await runSandboxCli("apply", target());
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("--auto-approve");
    expect(await live()).toEqual([]);
  });

  it("applies the fixture: exactly the expected instances, tagged, and statuses carrying their ids", async () => {
    const result = await runSandboxCli("apply", target(), "--auto-approve", "-o", "json");
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/aws_instance\.\S+: Creation complete/);
    // Unattended and nothing to destroy: one Terraform run planned and applied it.
    expect(result.stderr).toContain("plan and apply in one run (nothing to destroy)");
    expect(result.stderr).toContain("(planned and applied in one run)");
    const items = JSON.parse(result.stdout).items as PrintedObject[];
    const machines = items.filter((o) => o.kind === "Machine");
    expect(machines.map((m) => m.metadata.name).sort()).toEqual([
      "workload-cluster-1-controlplane-1",
      "workload-cluster-1-machinedeployment-1-0",
      "workload-cluster-1-machinedeployment-1-1",
      "workload-cluster-1-machineset-1-0",
      "workload-cluster-1-machineset-1-1",
    ]);

    const instances = await live();
    expect(instances).toHaveLength(5);
    const byMachine = new Map(instances.map((i) => [i.tags.Name, i]));
    for (const machine of machines) {
      const instance = byMachine.get(machine.metadata.name);
      expect(instance, machine.metadata.name).toBeDefined();
      expect(instance?.tags["clusterform.io/machine"]).toBe(`default/${machine.metadata.name}`);
      expect(instance?.tags["kubernetes.io/cluster/workload-cluster-1"]).toBe("owned");
      expect(machine.status.providerID).toBe(`aws:////${instance?.instanceId}`);
      expect(machine.spec.providerID).toBe(machine.status.providerID);
      expect(machine.status.phase).toBe("Running");
      expect(machine.status.addresses).toContainEqual({ type: "InternalIP", address: instance?.privateIp });
      expect(machine.status.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    }
    const cluster = items.find((o) => o.kind === "Cluster");
    expect(cluster?.status.phase).toBe("Provisioned");
    expect(cluster?.status.apiEndpoints?.[0]?.port).toBe(6443);
    expect(cluster?.status.providerStatus?.vpcID).toBe(instances[0]?.vpcId);
    firstIds = new Map(instances.map((i) => [i.tags.Name ?? "", i.instanceId]));
  });

  // One edit of each kind in one plan and one apply (Terraform's CPU is the suite's cost): the plan
  // and the apply must touch exactly those two machines, and every other instance keeps its id.
  it("a changed instance type updates that machine in place and one replica fewer destroys exactly one instance", async () => {
    await editManifest("controlplane-machine.yaml", (doc) => {
      doc.spec.providerSpec.value.instanceType = "t3.small";
    });
    await editManifest("machineset.yaml", (doc) => {
      doc.spec.replicas = 1;
    });
    const plan = await runSandboxCli("plan", target());
    expect(plan.exitCode, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`== ${CLUSTER}: 0 to add, 1 to change, 1 to destroy`);
    expect(plan.stdout).toContain(
      "aws_instance.machine_workload-cluster-1-controlplane-1 will be updated in-place",
    );
    expect(plan.stdout).toContain("aws_instance.machine_workload-cluster-1-machineset-1-1 will be destroyed");
    expect(plan.stdout).not.toMatch(
      /aws_instance\.machine_workload-cluster-1-(machinedeployment-1-\d|machineset-1-0)/,
    );

    const apply = await runSandboxCli("apply", target(), "--auto-approve");
    expect(apply.exitCode, apply.stderr).toBe(0);
    expect(apply.stderr).toContain("plan: 0 to add, 1 to change, 1 to destroy");
    // A Machine leaves: its instance is destroyed, so the change is planned first (never in one run).
    expect(apply.stderr).not.toContain("in one run");
    const instances = await live();
    const expected = new Map(firstIds);
    expected.delete("workload-cluster-1-machineset-1-1");
    expect(new Map(instances.map((i) => [i.tags.Name ?? "", i.instanceId]))).toEqual(expected);
    expect(instances.find((i) => i.tags.Name === "workload-cluster-1-controlplane-1")?.instanceType).toBe(
      "t3.small",
    );
  });

  it("a second apply with nothing changed plans no changes and reprints the same statuses", async () => {
    const apply = await runSandboxCli("apply", target(), "-o", "json");
    expect(apply.exitCode, apply.stderr).toBe(0);
    expect(apply.stderr).toContain("plan: no changes");
    const machines = (JSON.parse(apply.stdout).items as PrintedObject[]).filter((o) => o.kind === "Machine");
    expect(machines).toHaveLength(4);
    expect(machines.every((m) => m.status.phase === "Running")).toBe(true);
  });

  it("destroy leaves no instance running", async () => {
    const destroy = await runSandboxCli("destroy", target(), "--auto-approve");
    expect(destroy.exitCode, destroy.stderr).toBe(0);
    expect(destroy.stdout).toMatch(new RegExp(`${CLUSTER}: destroyed \\d+ resource`));
    expect(await live()).toEqual([]);
  });
});
