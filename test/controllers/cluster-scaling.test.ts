import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type TestControlPlane } from "../helpers/control-plane.js";
import type { ControllerHarness } from "../helpers/controllers.js";
import {
  type ControlPlaneAndControllers,
  clusterInstances,
  startControlPlaneAndControllers,
} from "../helpers/e2e-controllers.js";

// `kubectl scale` of a MachineDeployment, 3 -> 5 -> 2, carried through all
// three controllers to Terraform and the emulator. Machines created one by
// one while a plan runs are batched into the next run, so the number of
// applies stays small; it is logged and bounded here.
const NAMESPACE = "scaling-e2e";
const CLUSTER = "gamma";
const DEPLOYMENT = "gamma-workers";

let env: ControlPlaneAndControllers | undefined;
let cp: TestControlPlane;
let controllers: ControllerHarness | undefined;
const applies = () => controllers?.terraformRuns.apply ?? 0;

const MANIFESTS = `apiVersion: cluster.k8s.io/v1alpha1
kind: Cluster
# Infrastructure scaling: Machines stay bare instances (see BOOTSTRAP_DISABLED in test/helpers/aws-manifests.ts).
metadata: {name: ${CLUSTER}, namespace: ${NAMESPACE}, annotations: {clusterform.io/bootstrap: disabled}}
spec:
  providerSpec:
    value:
      apiVersion: awsprovider/v1alpha1
      kind: AWSClusterProviderSpec
      region: us-east-1
      networkSpec:
        vpc: {cidrBlock: 10.1.0.0/16}
        subnets: [{cidrBlock: 10.1.1.0/24, availabilityZone: us-east-1a}]
---
apiVersion: cluster.k8s.io/v1alpha1
kind: MachineClass
metadata: {name: gamma-small, namespace: ${NAMESPACE}}
providerSpec:
  value:
    apiVersion: awsprovider/v1alpha1
    kind: AWSMachineProviderSpec
    ami: {id: ami-04681a1dbd79675a5}
    instanceType: t3.micro
---
apiVersion: cluster.k8s.io/v1alpha1
kind: MachineDeployment
metadata:
  name: ${DEPLOYMENT}
  namespace: ${NAMESPACE}
  labels: {cluster.k8s.io/cluster-name: ${CLUSTER}}
spec:
  replicas: 3
  selector:
    matchLabels: {cluster.k8s.io/cluster-name: ${CLUSTER}, pool: workers}
  template:
    metadata:
      labels: {cluster.k8s.io/cluster-name: ${CLUSTER}, pool: workers}
    spec:
      providerSpec:
        valueFrom:
          machineClass: {name: gamma-small}
      versions: {kubelet: 1.13.6}
`;

const gammaInstances = () => clusterInstances(NAMESPACE, CLUSTER);

interface MachineJson {
  metadata: { name: string; deletionTimestamp?: string };
  status?: { providerID?: string; conditions?: { type: string; status: string }[] };
}

async function machines(): Promise<MachineJson[]> {
  const out = await cp.kubectlOk(["get", "machines", "-n", NAMESPACE, "-o", "json"]);
  return (JSON.parse(out) as { items: MachineJson[] }).items;
}

/** Exactly `count` Machines, all Ready, and exactly their instances in the emulator. */
async function converged(count: number): Promise<void> {
  await eventually(
    async () => {
      const all = await machines();
      const ready = all.filter((m) =>
        m.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
      );
      return all.length === count && ready.length === count;
    },
    `${count} Ready machines`,
    400_000,
  );
  const instances = await gammaInstances();
  expect(instances).toHaveLength(count);
  const providerIDs = (await machines()).map((m) => m.status?.providerID).sort();
  expect(providerIDs).toEqual(instances.map((i) => `aws:////${i.instanceId}`).sort());
}

beforeAll(async () => {
  env = await startControlPlaneAndControllers(NAMESPACE, { machineSets: true });
  ({ cp, controllers } = env);
});

afterAll(() => env?.stop());

describe("scaling a MachineDeployment", () => {
  it("follows kubectl scale 3 -> 5 -> 2 with a bounded number of applies", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], MANIFESTS);
    await converged(3);
    const afterCreate = applies();

    await cp.kubectlOk(["scale", "machinedeployment", DEPLOYMENT, "-n", NAMESPACE, "--replicas=5"]);
    await converged(5);
    const afterGrow = applies() - afterCreate;

    await cp.kubectlOk(["scale", "machinedeployment", DEPLOYMENT, "-n", NAMESPACE, "--replicas=2"]);
    await converged(2);
    const afterShrink = applies() - afterCreate - afterGrow;

    console.info(
      `terraform applies: create 3 -> ${afterCreate}, grow to 5 -> ${afterGrow}, shrink to 2 -> ${afterShrink}`,
    );
    // Changes that arrive during a run are batched into the next one: never one apply per Machine.
    expect(afterCreate).toBeLessThanOrEqual(2);
    expect(afterGrow).toBeLessThanOrEqual(2);
    expect(afterShrink).toBeLessThanOrEqual(2);
  });
  it("rolls a new instance type out within maxSurge and maxUnavailable, sampled in the emulator", async () => {
    // Continues from 2 Ready t3.micro Machines. Defaults: maxSurge 1, maxUnavailable 0.
    await cp.kubectlOk(
      ["apply", "-f", "-"],
      MANIFESTS.split("---\n")[1]?.replace("gamma-small", "gamma-medium").replace("t3.micro", "t3.small"),
    );
    const before = applies();
    const samples: { live: number; running: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const live = await gammaInstances();
        samples.push({ live: live.length, running: live.filter((i) => i.state === "running").length });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    await cp.kubectlOk([
      "patch",
      "machinedeployment",
      DEPLOYMENT,
      "-n",
      NAMESPACE,
      "--type",
      "merge",
      "-p",
      '{"spec":{"template":{"spec":{"providerSpec":{"valueFrom":{"machineClass":{"name":"gamma-medium"}}}}}}}',
    ]);
    await eventually(
      async () => {
        const live = await gammaInstances();
        return live.length === 2 && live.every((i) => i.instanceType === "t3.small");
      },
      "2 t3.small instances and nothing else",
      600_000,
    );
    sampling = false;
    await sampler;
    await converged(2);
    console.info(`rollout: ${applies() - before} applies, ${samples.length} samples of the emulator`);
    expect(samples.length).toBeGreaterThan(5);
    // Never more than replicas + maxSurge instances, never fewer than replicas - maxUnavailable running.
    expect(Math.max(...samples.map((s) => s.live))).toBeLessThanOrEqual(3);
    expect(Math.min(...samples.map((s) => s.running))).toBeGreaterThanOrEqual(2);
    expect(Math.max(...samples.map((s) => s.live))).toBe(3);
  });
});
