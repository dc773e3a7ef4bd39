/**
 * The MachineSet controller against the real embedded control plane, driven
 * with kubectl: it creates Machines from the template, follows `kubectl
 * scale ms`, honours deletePolicy and the delete-machine annotation, adopts
 * orphans, replaces deleted Machines and counts Ready/available Machines.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { machineSetController } from "../../src/controllers/machineset/index.js";
import { MachineSetResource } from "../../src/controllers/shared/resources.js";
import { eventually, type TestControlPlane } from "../helpers/control-plane.js";
import { liveMachinesOf, markReady, PROVIDER_SPEC, startControlPlaneWith } from "./machine-helpers.js";

let cp: TestControlPlane;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ cp, stop } = await startControlPlaneWith((m) => [machineSetController(m)]));
});
afterAll(async () => {
  await stop?.();
});

function machineSet(name: string, replicas: number, extra = ""): string {
  return `
apiVersion: cluster.k8s.io/v1alpha1
kind: MachineSet
metadata:
  name: ${name}
  namespace: default
spec:
  replicas: ${replicas}
  ${extra}
  selector: { matchLabels: { set: ${name} } }
  template:
    metadata: { labels: { set: ${name}, cluster.k8s.io/cluster-name: c1 } }
    spec: { providerSpec: ${PROVIDER_SPEC} }
`;
}

async function setStatus(name: string): Promise<Record<string, number | string>> {
  const set = await cp.client.get<KubernetesObject & { status?: Record<string, number | string> }>(
    MachineSetResource,
    "default",
    name,
  );
  return set.status ?? {};
}

const count = (name: string, n: number) =>
  eventually(
    async () => (await liveMachinesOf(cp, `set=${name}`)).length === n,
    `${name} to have ${n} machines`,
  );

describe("MachineSet controller", () => {
  it("creates Machines from the template with the set as controller, and reports status", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], machineSet("web", 3));
    await count("web", 3);
    const machines = await liveMachinesOf(cp, "set=web");
    const set = await cp.client.get(MachineSetResource, "default", "web");
    for (const machine of machines) {
      expect(machine.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(machine.metadata.labels).toMatchObject({ set: "web", "cluster.k8s.io/cluster-name": "c1" });
      expect(machine.metadata.ownerReferences).toEqual([
        expect.objectContaining({
          kind: "MachineSet",
          name: "web",
          uid: set.metadata?.uid,
          controller: true,
          blockOwnerDeletion: true,
        }),
      ]);
      expect(machine.spec.providerSpec).toMatchObject({ value: { instanceType: "t3.micro" } });
    }
    await eventually(async () => (await setStatus("web")).replicas === 3, "status.replicas 3");
    expect(await setStatus("web")).toMatchObject({
      fullyLabeledReplicas: 3,
      readyReplicas: 0,
      selector: "set=web",
    });
  });

  it("follows kubectl scale up and down, removing the newest under deletePolicy Newest", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], machineSet("scaled", 2, "deletePolicy: Newest"));
    await count("scaled", 2);
    const firstTwo = (await liveMachinesOf(cp, "set=scaled")).map((m) => m.metadata.name).sort();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // creationTimestamp has 1 s resolution
    await cp.kubectlOk(["scale", "ms", "scaled", "--replicas=5"]);
    await count("scaled", 5);
    await cp.kubectlOk(["scale", "ms", "scaled", "--replicas=2"]);
    await count("scaled", 2);
    expect((await liveMachinesOf(cp, "set=scaled")).map((m) => m.metadata.name).sort()).toEqual(firstTwo);
    const scale = JSON.parse(
      await cp.kubectlOk([
        "get",
        "--raw",
        "/apis/cluster.k8s.io/v1alpha1/namespaces/default/machinesets/scaled/scale",
      ]),
    );
    expect(scale.status).toMatchObject({ replicas: 2, selector: "set=scaled" });
  });

  it("deletes annotated Machines first, whatever the delete policy", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], machineSet("marked", 3, "deletePolicy: Oldest"));
    await count("marked", 3);
    const [victim] = (await liveMachinesOf(cp, "set=marked"))
      .map((m) => m.metadata.name ?? "")
      .sort()
      .reverse();
    await cp.kubectlOk(["annotate", "machine", victim ?? "", "cluster.k8s.io/delete-machine=yes"]);
    await cp.kubectlOk(["scale", "ms", "marked", "--replicas=2"]);
    await count("marked", 2);
    expect((await liveMachinesOf(cp, "set=marked")).map((m) => m.metadata.name)).not.toContain(victim);
  });

  it("adopts a matching orphan instead of creating a Machine, and releases one relabelled away", async () => {
    await cp.kubectlOk(
      ["apply", "-f", "-"],
      `
apiVersion: cluster.k8s.io/v1alpha1
kind: Machine
metadata: { name: orphan-1, namespace: default, labels: { set: adopter, cluster.k8s.io/cluster-name: c1 } }
spec: { providerSpec: ${PROVIDER_SPEC} }
`,
    );
    await cp.kubectlOk(["apply", "-f", "-"], machineSet("adopter", 2));
    await count("adopter", 2);
    const machines = await liveMachinesOf(cp, "set=adopter");
    const orphan = machines.find((m) => m.metadata.name === "orphan-1");
    expect(orphan?.metadata.ownerReferences?.[0]).toMatchObject({
      kind: "MachineSet",
      name: "adopter",
      controller: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await liveMachinesOf(cp, "set=adopter")).length).toBe(2);

    await cp.kubectlOk(["label", "machine", "orphan-1", "set=elsewhere", "--overwrite"]);
    await count("adopter", 2);
    await eventually(async () => {
      const [released] = await liveMachinesOf(cp, "set=elsewhere");
      return released && (released.metadata.ownerReferences ?? []).length === 0;
    }, "orphan-1 to be released");
  });

  it("replaces a deleted Machine", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], machineSet("healing", 2));
    await count("healing", 2);
    const [first] = await liveMachinesOf(cp, "set=healing");
    await cp.kubectlOk(["delete", "machine", first?.metadata.name ?? "", "--wait=false"]);
    await eventually(async () => {
      const names = (await liveMachinesOf(cp, "set=healing")).map((m) => m.metadata.name);
      return names.length === 2 && !names.includes(first?.metadata.name);
    }, "a replacement machine");
  });

  it("counts Ready Machines and, after minReadySeconds, available ones", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], machineSet("ready", 2, "minReadySeconds: 1"));
    await count("ready", 2);
    for (const machine of await liveMachinesOf(cp, "set=ready"))
      await markReady(cp, machine.metadata.name ?? "");
    await eventually(async () => (await setStatus("ready")).readyReplicas === 2, "readyReplicas 2");
    expect((await setStatus("ready")).availableReplicas).toBe(0);
    await eventually(
      async () => (await setStatus("ready")).availableReplicas === 2,
      "availableReplicas 2",
      5_000,
    );
    const table = await cp.kubectlOk(["get", "ms", "ready"]);
    expect(table).toMatch(/ready\s+2\s+2\s+2/);
  });

  it("refuses a template its selector does not match: status error, an Event, no Machines", async () => {
    const manifest = machineSet("mismatch", 2).replace("labels: { set: mismatch,", "labels: { set: other,");
    await cp.kubectlOk(["apply", "-f", "-"], manifest);
    await eventually(
      async () => (await setStatus("mismatch")).errorReason === "InvalidConfiguration",
      "the error",
    );
    expect((await setStatus("mismatch")).errorMessage).toContain(
      "spec.template.metadata.labels: do not match spec.selector",
    );
    expect(await liveMachinesOf(cp, "set=other")).toEqual([]);
    const described = await cp.kubectlOk(["describe", "ms", "mismatch"]);
    expect(described).toContain("InvalidConfiguration");

    await cp.kubectlOk(["apply", "-f", "-"], machineSet("mismatch", 2));
    await count("mismatch", 2);
    await eventually(
      async () => (await setStatus("mismatch")).errorReason === undefined,
      "the error to clear",
    );
  });
});
