import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ClusterRun } from "../src/converge/cluster-run.js";
import { modelsFromObjects } from "../src/model/from-manifests.js";
import type { ClusterModel } from "../src/model/types.js";
import { describeInstances, describeInstanceUserData } from "../src/sandbox/ec2.js";
import { sandboxAwsEnv } from "../src/sandbox/moto.js";
import { bootstrapVariables, CONTROL_PLANE_ENDPOINT_PLACEHOLDER, HOSTILE_STRINGS } from "../stacks/index.js";

// Bootstrap data through the real runner, terraform and AWS provider to the
// emulator: values only in Terraform's environment, the endpoint filled in by
// Terraform, user data never touched again. Endpoint mode InitMachine (no
// load balancer: fast).
//
// The same cluster carries the security rule "user strings never become
// Terraform expressions": the worker's spec has hostile strings as tag keys and
// values, which must come back from the emulator exactly as written, and the
// later plan must be clean. They share this cluster's apply and plan rather than
// paying for a cluster of their own (Terraform's CPU is the suite's cost).
const endpoint = inject("awsEndpoint");
const providerMirror = inject("providerMirror");
const CLUSTER = "boot";

const hostileTags = Object.fromEntries(HOSTILE_STRINGS.map((s, i) => [`k${i}`, s]));
// As tag keys too, except those with "%": the emulator (moto 5.2) silently drops tag keys containing "%"
// (any "%", escaped or not); the synthesized keys are checked for those in stacks/literals.test.ts.
const hostileKeys = Object.fromEntries(
  HOSTILE_STRINGS.filter((s) => !s.includes("%")).map((s, i) => [s, `v${i}`]),
);

const machine = (
  name: string,
  versions: Record<string, string>,
  additionalTags?: Record<string, string>,
) => ({
  apiVersion: "cluster.k8s.io/v1alpha1",
  kind: "Machine",
  metadata: { name, namespace: "default", labels: { "cluster.k8s.io/cluster-name": CLUSTER } },
  spec: {
    providerSpec: {
      value: {
        apiVersion: "awsprovider/v1alpha1",
        kind: "AWSMachineProviderSpec",
        ami: { id: "ami-04681a1dbd79675a5" },
        instanceType: "t3.micro",
        ...(additionalTags ? { additionalTags } : {}),
      },
    },
    versions,
  },
});

const manifests = [
  {
    apiVersion: "cluster.k8s.io/v1alpha1",
    kind: "Cluster",
    metadata: { name: CLUSTER, namespace: "default" },
    spec: {
      providerSpec: {
        value: {
          apiVersion: "awsprovider/v1alpha1",
          kind: "AWSClusterProviderSpec",
          region: "us-east-1",
          controlPlaneEndpoint: { type: "InitMachine" },
        },
      },
    },
  },
  machine("boot-cp-0", { kubelet: "1.13.6", controlPlane: "1.13.6" }),
  machine("boot-w-0", { kubelet: "1.13.6" }, { ...hostileTags, ...hostileKeys }),
];

/** Stand-in cloud-config with a unique canary and the placeholder where kubeadm needs the endpoint. */
function bootstrapData(machineName: string): string {
  const canary = `bootstrap-canary-${randomBytes(8).toString("hex")}`;
  return [
    "#cloud-config",
    `# ${machineName} ${canary}`,
    "write_files:",
    "- path: /etc/kubernetes/endpoint",
    `  content: "${CONTROL_PLANE_ENDPOINT_PLACEHOLDER}:6443"`,
    "",
  ].join("\n");
}

let stateDir: string;
let model: ClusterModel;
let run: ClusterRun;
const data = { "boot-cp-0": bootstrapData("boot-cp-0"), "boot-w-0": bootstrapData("boot-w-0") };
const options = () => ({
  stateDir,
  awsEndpoint: endpoint,
  providerMirror,
  env: { ...process.env, ...sandboxAwsEnv(endpoint) },
});

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "clusterform-bootstrap-"));
  const built = modelsFromObjects(manifests);
  expect(built.allErrors).toEqual([]);
  model = {
    ...(built.models[0] as ClusterModel),
    bootstrap: { machines: ["boot-cp-0", "boot-w-0"], initMachine: "boot-cp-0" },
  };
  run = new ClusterRun(model, options(), bootstrapVariables(data));
});

// No destroy: it asserted nothing (a plan and an apply, ~25 s of Terraform CPU), and the emulator lives
// for one run only, its instances told apart by the cluster tag.
afterAll(() => rm(stateDir, { recursive: true, force: true }));

describe("bootstrap data delivered through the stack (AWS, endpoint InitMachine)", () => {
  it("reaches each instance's user data with the endpoint filled in, and nowhere else", async () => {
    await run.prepare();
    const plan = await run.plan();
    expect(plan.summary.add).toBeGreaterThan(0);
    const shown = await run.show(plan);
    // The shown plan is about the instances, yet holds no bootstrap value.
    expect(shown.text).toContain("aws_instance.machine_boot-w-0");
    for (const value of Object.values(data)) {
      expect(shown.text).not.toContain(value.split("\n")[1]);
      expect(JSON.stringify(shown.json)).not.toContain(value.split("\n")[1]);
    }
    const applied = await run.apply(plan);

    const host = applied.outputs.control_plane_endpoint?.value;
    // The init machine's fixed address: the last usable one of the default subnet 10.0.0.0/24.
    expect(host).toBe("10.0.0.254");
    expect(applied.outputs.control_plane_endpoint?.sensitive).toBe(false);
    const cluster = applied.outputs.cluster?.value as { api_endpoint?: string } | undefined;
    expect(cluster?.api_endpoint).toBe(`${host}:6443`);

    const instances = await describeInstances(endpoint, {
      "tag:clusterform.io/cluster": `default/${CLUSTER}`,
    });
    expect(instances.map((instance) => instance.tags.Name).sort()).toEqual(["boot-cp-0", "boot-w-0"]);
    for (const instance of instances) {
      const name = instance.tags.Name as keyof typeof data;
      const userData = gunzipSync(await describeInstanceUserData(endpoint, instance.instanceId)).toString();
      expect(userData).toBe(data[name].replaceAll(CONTROL_PLANE_ENDPOINT_PLACEHOLDER, host as string));
      // In mode InitMachine the endpoint is the init machine's own address.
      if (name === "boot-cp-0") expect(instance.privateIp).toBe(host);
    }

    const config = await readFile(join(run.workDir, "cdk.tf.json"), "utf8");
    const state = JSON.parse(await readFile(join(run.workDir, "terraform.tfstate"), "utf8"));
    expect(config).toContain("bootstrap_data_machine_boot-w-0");
    expect(Object.keys(state.outputs)).toContain("control_plane_endpoint");
    for (const value of Object.values(data)) {
      const canary = value.split("\n")[1] as string;
      expect(config).not.toContain(canary);
      expect(JSON.stringify(state.outputs)).not.toContain(canary);
    }
  });

  it("hostile strings in the worker's spec reach the cloud as literal tag keys and values", async () => {
    const [worker, ...others] = await describeInstances(endpoint, {
      "tag:clusterform.io/cluster": `default/${CLUSTER}`,
      "tag:Name": "boot-w-0",
    });
    expect(others).toEqual([]);
    for (const [key, value] of Object.entries({ ...hostileTags, ...hostileKeys })) {
      expect(worker?.tags[key], `tag ${key}`).toBe(value);
    }
  });

  // Clean also for the hostile tags: Terraform read the literals back and sees nothing to change, so no
  // expression was evaluated anywhere.
  it("plans no change at all when the bootstrap data changes later", async () => {
    const changed = {
      "boot-cp-0": bootstrapData("boot-cp-0"),
      "boot-w-0": bootstrapData("boot-w-0"),
    };
    const later = new ClusterRun(model, options(), bootstrapVariables(changed));
    await later.prepare();
    const plan = await later.plan();
    expect(plan.summary.hasChanges).toBe(false);
  });
});
