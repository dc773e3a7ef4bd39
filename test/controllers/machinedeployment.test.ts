/**
 * The MachineDeployment controller (with the MachineSet controller) against
 * the real embedded control plane, driven with kubectl. The test plays the
 * infrastructure: it marks Machines Ready, as the cluster reconciler would.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MachineSet } from "../../src/api/machine-set.js";
import { machineDeploymentController } from "../../src/controllers/machinedeployment/index.js";
import { machineSetController } from "../../src/controllers/machineset/index.js";
import { isMachineReady } from "../../src/controllers/shared/machines.js";
import { MachineDeploymentResource, MachineSetResource } from "../../src/controllers/shared/resources.js";
import { eventually, type TestControlPlane } from "../helpers/control-plane.js";
import {
  liveMachinesOf,
  machinesOf,
  markReady,
  PROVIDER_SPEC,
  startControlPlaneWith,
} from "./machine-helpers.js";

let cp: TestControlPlane;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ cp, stop } = await startControlPlaneWith((m) => [
    machineSetController(m),
    machineDeploymentController(m),
  ]));
});
afterAll(async () => {
  await stop?.();
});

function deployment(name: string, replicas: number, extra = "", instanceType = "t3.micro"): string {
  return `
apiVersion: cluster.k8s.io/v1alpha1
kind: MachineDeployment
metadata: { name: ${name}, namespace: default }
spec:
  replicas: ${replicas}
  ${extra}
  selector: { matchLabels: { md: ${name} } }
  template:
    metadata: { labels: { md: ${name}, cluster.k8s.io/cluster-name: c1 } }
    spec: { providerSpec: ${PROVIDER_SPEC.replace("t3.micro", instanceType)} }
`;
}

type LiveSet = MachineSet & KubernetesObject;

async function setsOf(name: string): Promise<LiveSet[]> {
  return (await cp.client.list<LiveSet>(MachineSetResource, "default", { labelSelector: `md=${name}` }))
    .items;
}

async function deploymentStatus(name: string) {
  const md = await cp.client.get<KubernetesObject & { status?: Record<string, unknown> }>(
    MachineDeploymentResource,
    "default",
    name,
  );
  return { status: md.status ?? {}, annotations: md.metadata?.annotations ?? {} };
}

/** Plays the infrastructure until stopped: every Machine becomes Ready a moment after it appears. */
function infrastructure(selector: string) {
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const machine of await liveMachinesOf(cp, selector)) {
        if (!isMachineReady(machine)) await markReady(cp, machine.metadata.name ?? "").catch(() => undefined);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

const machineCount = (selector: string, n: number) =>
  eventually(async () => (await liveMachinesOf(cp, selector)).length === n, `${n} machines for ${selector}`);

describe("MachineDeployment controller", () => {
  it("creates one MachineSet for the template, with the hash label, revision 1 and status", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], deployment("first", 3));
    await machineCount("md=first", 3);
    const [set, ...others] = await setsOf("first");
    expect(others).toEqual([]);
    const hash = set?.metadata.labels?.["machine-template-hash"];
    expect(hash).toMatch(/^[0-9a-f]{10}$/);
    expect(set?.metadata.name).toBe(`first-${hash}`);
    expect(set?.spec.selector.matchLabels).toEqual({ md: "first", "machine-template-hash": hash });
    expect(set?.spec.template?.metadata?.labels?.["machine-template-hash"]).toBe(hash);
    expect(set?.metadata.annotations?.["machinedeployment.clusters.k8s.io/revision"]).toBe("1");
    expect(set?.metadata.ownerReferences?.[0]).toMatchObject({
      kind: "MachineDeployment",
      name: "first",
      controller: true,
    });
    const stop = infrastructure("md=first");
    await eventually(
      async () => (await deploymentStatus("first")).status.availableReplicas === 3,
      "3 available",
    );
    await stop();
    const { status, annotations } = await deploymentStatus("first");
    expect(status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      unavailableReplicas: 0,
      selector: "md=first",
    });
    expect(annotations["machinedeployment.clusters.k8s.io/revision"]).toBe("1");
  });

  it("follows kubectl scale md 3 -> 5 -> 2 with the same MachineSet", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], deployment("scaled", 3));
    await machineCount("md=scaled", 3);
    await cp.kubectlOk(["scale", "md", "scaled", "--replicas=5"]);
    await machineCount("md=scaled", 5);
    await cp.kubectlOk(["scale", "md", "scaled", "--replicas=2"]);
    await machineCount("md=scaled", 2);
    expect((await setsOf("scaled")).map((s) => s.spec.replicas)).toEqual([2]);
  });

  it("rolls a template change within maxSurge and maxUnavailable, then prunes history", async () => {
    const strategy =
      "revisionHistoryLimit: 0\n  strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }";
    await cp.kubectlOk(["apply", "-f", "-"], deployment("roll", 3, strategy));
    const stop = infrastructure("md=roll");
    await eventually(
      async () => (await deploymentStatus("roll")).status.availableReplicas === 3,
      "3 available",
    );
    const [oldSet] = await setsOf("roll");

    const samples: { total: number; ready: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const machines = await machinesOf(cp, "md=roll");
        const ready = machines.filter((m) => !m.metadata.deletionTimestamp && isMachineReady(m)).length;
        samples.push({ total: machines.length, ready });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await cp.kubectlOk(["apply", "-f", "-"], deployment("roll", 3, strategy, "t3.large"));
    await eventually(
      async () => {
        const machines = await liveMachinesOf(cp, "md=roll");
        const sets = await setsOf("roll");
        return (
          machines.length === 3 &&
          machines.every(
            (m) => JSON.stringify(m.spec.providerSpec).includes("t3.large") && isMachineReady(m),
          ) &&
          sets.length === 1
        );
      },
      "the rollout to finish and the old set to be pruned",
      30_000,
    );
    sampling = false;
    await sampler;
    await stop();

    // The rollout went step by step: the surge Machine existed at some point.
    expect(samples.some((s) => s.total === 4)).toBe(true);
    expect(samples.length).toBeGreaterThan(5);
    expect(Math.max(...samples.map((s) => s.total))).toBeLessThanOrEqual(4);
    expect(Math.min(...samples.map((s) => s.ready))).toBeGreaterThanOrEqual(3);
    const [newSet] = await setsOf("roll");
    expect(newSet?.metadata.name).not.toBe(oldSet?.metadata.name);
    expect(newSet?.metadata.annotations?.["machinedeployment.clusters.k8s.io/revision"]).toBe("2");
    await eventually(
      async () =>
        (await deploymentStatus("roll")).annotations["machinedeployment.clusters.k8s.io/revision"] === "2",
      "the deployment's revision 2",
    );
  });

  it("while paused only scales; unpausing rolls the template out", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], deployment("paused", 2));
    await machineCount("md=paused", 2);
    await cp.kubectlOk(["patch", "md", "paused", "--type=merge", "-p", '{"spec":{"paused":true}}']);
    await cp.kubectlOk(["apply", "-f", "-"], deployment("paused", 2, "paused: true", "t3.large"));
    await cp.kubectlOk(["scale", "md", "paused", "--replicas=4"]);
    await machineCount("md=paused", 4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sets = await setsOf("paused");
    expect(sets).toHaveLength(1);
    const machines = await liveMachinesOf(cp, "md=paused");
    expect(machines.every((m) => JSON.stringify(m.spec.providerSpec).includes("t3.micro"))).toBe(true);

    const stop = infrastructure("md=paused");
    await cp.kubectlOk(["patch", "md", "paused", "--type=merge", "-p", '{"spec":{"paused":false}}']);
    await eventually(
      async () => {
        const live = await liveMachinesOf(cp, "md=paused");
        return (
          live.length === 4 && live.every((m) => JSON.stringify(m.spec.providerSpec).includes("t3.large"))
        );
      },
      "the rollout after unpausing",
      30_000,
    );
    await stop();
    expect(await setsOf("paused")).toHaveLength(2); // default revisionHistoryLimit keeps one old set
  });

  it("returning to an earlier template reuses its kept set under a new revision; deleting the deployment removes everything", async () => {
    await cp.kubectlOk(
      ["apply", "-f", "-"],
      deployment("back", 1, "strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }"),
    );
    await machineCount("md=back", 1);
    const [original] = await setsOf("back");
    await cp.kubectlOk(
      ["apply", "-f", "-"],
      deployment("back", 1, "strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }", "t3.large"),
    );
    await eventually(async () => (await setsOf("back")).length === 2, "a second set");
    await cp.kubectlOk(
      ["apply", "-f", "-"],
      deployment("back", 1, "strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }"),
    );
    await eventually(async () => {
      const live = await liveMachinesOf(cp, "md=back");
      const sets = await setsOf("back");
      const current = sets.find((set) => set.metadata.name === original?.metadata.name);
      return (
        live.length === 1 &&
        JSON.stringify(live[0]?.spec.providerSpec).includes("t3.micro") &&
        current?.metadata.annotations?.["machinedeployment.clusters.k8s.io/revision"] === "3"
      );
    }, "the original set back at revision 3");

    await cp.kubectlOk(["delete", "md", "back"]);
    await eventually(
      async () => (await setsOf("back")).length === 0 && (await machinesOf(cp, "md=back")).length === 0,
      "its sets and Machines to be garbage-collected",
    );
  });
});
