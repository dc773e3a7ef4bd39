import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ClusterRun } from "../src/converge/cluster-run.js";
import { modelsFromObjects } from "../src/model/from-manifests.js";
import type { ClusterModel } from "../src/model/types.js";
import { describeInstances } from "../src/sandbox/ec2.js";
import { sandboxAwsEnv } from "../src/sandbox/moto.js";
import { HOSTILE_STRINGS } from "../stacks/index.js";

// Security rule: user strings never become Terraform expressions. Hostile
// strings go in as tag keys and values, through cdktf, terraform and the AWS
// provider to the emulator, and must come back exactly as written.
const endpoint = inject("awsEndpoint");
const providerMirror = inject("providerMirror");

const hostileTags = Object.fromEntries(HOSTILE_STRINGS.map((s, i) => [`k${i}`, s]));
// As tag keys too, except those with "%": the emulator (moto 5.2) silently drops tag keys containing "%"
// (any "%", escaped or not); the synthesized keys are checked for those in stacks/literals.test.ts.
const hostileKeys = Object.fromEntries(
  HOSTILE_STRINGS.filter((s) => !s.includes("%")).map((s, i) => [s, `v${i}`]),
);

const manifests = [
  {
    apiVersion: "cluster.k8s.io/v1alpha1",
    kind: "Cluster",
    metadata: { name: "hostile", namespace: "default" },
    spec: {
      providerSpec: {
        value: { apiVersion: "awsprovider/v1alpha1", kind: "AWSClusterProviderSpec", region: "us-east-1" },
      },
    },
  },
  {
    apiVersion: "cluster.k8s.io/v1alpha1",
    kind: "Machine",
    metadata: {
      name: "hostile-0",
      namespace: "default",
      labels: { "cluster.k8s.io/cluster-name": "hostile" },
    },
    spec: {
      providerSpec: {
        value: {
          apiVersion: "awsprovider/v1alpha1",
          kind: "AWSMachineProviderSpec",
          ami: { id: "ami-04681a1dbd79675a5" },
          instanceType: "t3.micro",
          additionalTags: { ...hostileTags, ...hostileKeys },
        },
      },
      versions: { kubelet: "1.13.6" },
    },
  },
];

let stateDir: string;
let run: ClusterRun;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "clusterform-injection-"));
  const built = modelsFromObjects(manifests);
  expect(built.allErrors).toEqual([]);
  run = new ClusterRun(built.models[0] as ClusterModel, {
    stateDir,
    awsEndpoint: endpoint,
    providerMirror,
    env: { ...process.env, ...sandboxAwsEnv(endpoint) },
  });
});

// No destroy: it asserted nothing (a plan and an apply, ~25 s of Terraform CPU), and the emulator lives
// for one run only, its instances told apart by the cluster tag.
afterAll(() => rm(stateDir, { recursive: true, force: true }));

describe("hostile strings in a spec", () => {
  it("reach the cloud as literal tag keys and values, and plan clean afterwards", async () => {
    await run.prepare();
    const plan = await run.plan();
    expect(plan.summary.add).toBeGreaterThan(0);
    await run.apply(plan);

    const [instance, ...others] = await describeInstances(endpoint, {
      "tag:clusterform.io/cluster": "default/hostile",
    });
    expect(others).toEqual([]);
    for (const [key, value] of Object.entries({ ...hostileTags, ...hostileKeys })) {
      expect(instance?.tags[key], `tag ${key}`).toBe(value);
    }

    // Terraform reads the literal back and sees nothing to change: no expression was evaluated anywhere.
    const again = await run.plan();
    expect(again.summary.hasChanges).toBe(false);
  });
});
