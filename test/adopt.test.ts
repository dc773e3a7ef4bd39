import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Machine } from "../src/api/machine.js";
import type { PlanReport } from "../src/cli/plan-clusters.js";
import {
  createSubnet,
  createVpc,
  describeInstances,
  runInstance,
  type SandboxInstance,
} from "../src/sandbox/ec2.js";
import { runSandboxCli } from "./helpers/cli.js";

// An instance made by "another pipeline" (directly in the emulator), adopted
// by a Machine, then left running when the Machine goes (on-delete: orphan).
const endpoint = inject("awsEndpoint");
const mirror = inject("providerMirror");
const AMI = "ami-04681a1dbd79675a5";

let work: string;
let file: string;
let existing: SandboxInstance;
let subnetId: string;

const cluster = (vpcId: string) => `
apiVersion: cluster.k8s.io/v1alpha1
kind: Cluster
metadata: { name: adopter }
spec:
  providerSpec:
    value:
      apiVersion: awsprovider/v1alpha1
      kind: AWSClusterProviderSpec
      region: us-east-1
      networkSpec:
        vpc: { id: ${vpcId} }
        subnets: [{ id: ${subnetId} }]
`;
const adoptingMachine = (instanceId: string) => `
---
apiVersion: cluster.k8s.io/v1alpha1
kind: Machine
metadata:
  name: legacy-0
  labels: { cluster.k8s.io/cluster-name: adopter }
  annotations:
    clusterform.io/adopt-instance-id: ${instanceId}
    clusterform.io/on-delete: orphan
spec:
  providerSpec:
    value:
      apiVersion: awsprovider/v1alpha1
      kind: AWSMachineProviderSpec
      ami: { id: ${AMI} }
      instanceType: t3.micro
  versions: { kubelet: "1.13.6" }
`;

const cli = (command: string, ...extra: string[]) =>
  runSandboxCli(command, { file, stateDir: join(work, "state"), endpoint, providerMirror: mirror }, ...extra);
const inSubnet = async () =>
  (await describeInstances(endpoint, { "subnet-id": subnetId })).filter((i) => i.state !== "terminated");

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "clusterform-adopt-"));
  file = join(work, "cluster.yaml");
  const vpcId = await createVpc(endpoint, "10.60.0.0/16");
  subnetId = await createSubnet(endpoint, {
    vpcId,
    cidrBlock: "10.60.1.0/24",
    availabilityZone: "us-east-1a",
  });
  existing = await runInstance(endpoint, { imageId: AMI, instanceType: "t3.micro", subnetId });
  await writeFile(file, cluster(vpcId) + adoptingMachine(existing.instanceId));
});

afterAll(() => rm(work, { recursive: true, force: true }));

describe("adopting an existing instance", () => {
  it("plans an import, not a create (plan -o json --detailed-exitcode exits 2)", async () => {
    const result = await cli("plan", "-o", "json", "--detailed-exitcode");
    expect(result.exitCode, result.stderr).toBe(2);
    const report = JSON.parse(result.stdout) as PlanReport;
    expect(report.formatVersion).toBe(1);
    const [planned] = report.clusters;
    expect(planned).toMatchObject({ namespace: "default", name: "adopter", status: "planned", import: 1 });
    const instanceChanges =
      planned?.changes.filter((c) => c.address === "aws_instance.machine_legacy-0") ?? [];
    expect(instanceChanges.map((c) => c.action)).not.toContain("create");
    expect(planned?.changes.filter((c) => c.action === "create").map((c) => c.address)).toEqual([
      "aws_security_group.control_plane",
      "aws_security_group.node",
    ]);
  });

  it("converges without a new instance; the Machine reports the existing instance", async () => {
    const result = await cli("apply", "--auto-approve", "-o", "json");
    expect(result.exitCode, result.stderr).toBe(0);
    const machine = (JSON.parse(result.stdout) as { items: Machine[] }).items.find(
      (o) => o.kind === "Machine",
    );
    expect(machine?.spec.providerID).toBe(`aws:////${existing.instanceId}`);
    expect(machine?.status?.addresses).toContainEqual({ type: "InternalIP", address: existing.privateIp });
    expect((await inSubnet()).map((i) => i.instanceId)).toEqual([existing.instanceId]);
  });

  it("forgets the instance when the orphan Machine leaves the files: it keeps running", async () => {
    const vpcId = (await describeInstances(endpoint, { "instance-id": existing.instanceId }))[0]?.vpcId ?? "";
    await writeFile(file, cluster(vpcId));
    const result = await cli("apply", "--auto-approve", "-o", "json");
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/legacy-0.*destroy/);
    const [after] = await describeInstances(endpoint, { "instance-id": existing.instanceId });
    expect(after?.state).toBe("running");
    // Forgotten, not just skipped once: the next plan has nothing to do.
    const again = await cli("plan", "-o", "json", "--detailed-exitcode");
    expect(again.exitCode, again.stdout).toBe(0);
  });

  it("destroy keeps the instance of an orphan Machine still in the files and destroys the rest", async () => {
    const vpcId = (await describeInstances(endpoint, { "instance-id": existing.instanceId }))[0]?.vpcId ?? "";
    await writeFile(file, cluster(vpcId) + adoptingMachine(existing.instanceId));
    const adopted = await cli("apply", "--auto-approve");
    expect(adopted.exitCode, adopted.stderr).toBe(0);
    const result = await cli("destroy", "--auto-approve");
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain("aws_instance.machine_legacy-0: kept running, forgotten instead");
    expect(result.stdout).toContain("default/adopter: destroyed 2 resource(s)");
    const [after] = await describeInstances(endpoint, { "instance-id": existing.instanceId });
    expect(after?.state).toBe("running");
  });
});

describe("adopting an instance the spec does not match (file mode)", () => {
  // The instance sits in another subnet than the Cluster's: adopting it as written replaces it.
  let guardFile: string;
  let foreign: SandboxInstance;
  const guardCli = (command: string, ...extra: string[]) =>
    runSandboxCli(
      command,
      { file: guardFile, stateDir: join(work, "state"), endpoint, providerMirror: mirror },
      ...extra,
    );

  beforeAll(async () => {
    const vpcId = await createVpc(endpoint, "10.61.0.0/16");
    const subnet = (cidrBlock: string) =>
      createSubnet(endpoint, { vpcId, cidrBlock, availabilityZone: "us-east-1a" });
    const clusterSubnet = await subnet("10.61.1.0/24");
    const otherSubnet = await subnet("10.61.2.0/24");
    foreign = await runInstance(endpoint, { imageId: AMI, instanceType: "t3.micro", subnetId: otherSubnet });
    guardFile = join(work, "guard.yaml");
    const manifests = (cluster(vpcId) + adoptingMachine(foreign.instanceId))
      .replaceAll("adopter", "adopter-guard")
      .replace(`subnets: [{ id: ${subnetId} }]`, `subnets: [{ id: ${clusterSubnet} }]`);
    await writeFile(guardFile, manifests);
  });

  it("plan shows the warning, naming subnet_id", async () => {
    const result = await guardCli("plan");
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain("WARNING: adopted instances would be DESTROYED");
    expect(result.stderr).toContain(
      `default/adopter-guard: the plan replaces adopted instance ${foreign.instanceId} (Machine legacy-0): subnet_id forces replacement`,
    );
  });

  it("apply --auto-approve refuses (exit 3) naming subnet_id, and the instance keeps running", async () => {
    const result = await guardCli("apply", "--auto-approve");
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toContain("WARNING: adopted instances would be DESTROYED");
    expect(result.stderr).toContain(
      `refusing to apply: default/adopter-guard: the plan replaces adopted instance ${foreign.instanceId} (Machine legacy-0): subnet_id forces replacement`,
    );
    expect(result.stderr).toContain("--allow-replace-adopted");
    const [after] = await describeInstances(endpoint, { "instance-id": foreign.instanceId });
    expect(after?.state).toBe("running");
    expect(after?.tags["clusterform.io/cluster"]).toBeUndefined();
  });

  it("applies the replacement only with --allow-replace-adopted", async () => {
    const result = await guardCli("apply", "--auto-approve", "--allow-replace-adopted", "-o", "json");
    expect(result.exitCode, result.stderr).toBe(0);
    const machine = (JSON.parse(result.stdout) as { items: Machine[] }).items.find(
      (o) => o.kind === "Machine",
    );
    expect(machine?.spec.providerID).toMatch(/^aws:\/\/\/\/i-/);
    expect(machine?.spec.providerID).not.toBe(`aws:////${foreign.instanceId}`);
    const [after] = await describeInstances(endpoint, { "instance-id": foreign.instanceId });
    expect(after?.state).not.toBe("running");
  });
});
