/**
 * The controller runtime against the real embedded control plane: informers
 * feed controllers, only the Lease holder reconciles, a released Lease is
 * taken over at once, Events aggregate, status patches skip no-ops, and
 * finalizer patches refuse a stale read.
 */
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  ApiError,
  Controller,
  EventResource,
  LeaseResource,
  Manager,
} from "../../src/controllers/runtime/index.js";
import {
  addFinalizer,
  EventRecorder,
  MachineSetResource,
  patchStatus,
  removeFinalizer,
} from "../../src/controllers/shared/index.js";
import {
  eventually,
  loadKubeConfig,
  startTestControlPlane,
  type TestControlPlane,
} from "../helpers/control-plane.js";

let cp: TestControlPlane;

beforeAll(async () => {
  cp = await startTestControlPlane();
});
afterAll(async () => {
  await cp?.stop();
});

const machineSet = (name: string) => `
apiVersion: cluster.k8s.io/v1alpha1
kind: MachineSet
metadata:
  name: ${name}
  namespace: default
  labels: { cluster.k8s.io/cluster-name: c1 }
spec:
  replicas: 0
  selector: { matchLabels: { set: ${name} } }
  template:
    metadata: { labels: { set: ${name} } }
    spec: { providerSpec: { value: { apiVersion: awsprovider/v1alpha1, kind: AWSMachineProviderSpec, instanceType: t3.micro } } }
`;

function recordingManager(identity: string, seen: string[]) {
  const manager = new Manager({
    kubeConfig: loadKubeConfig(cp.kubeconfigPath),
    leaderElection: {
      namespace: "default",
      name: "runtime-test",
      identity,
      // Long enough that a loaded machine never lets the leader's renewals lapse (with 2 s, the leader
      // had stepped down before stop, and the handover came by expiry); release is read from the Lease.
      leaseDurationMs: 15_000,
      retryPeriodMs: 100,
    },
    shutdown: { gracePeriodMs: 1_000 },
  });
  const controller = new Controller({
    name: `recorder-${identity}`,
    reconcile: async (key) => {
      seen.push(key.name);
    },
  });
  controller.watch(manager.informer(MachineSetResource));
  manager.add(controller);
  return manager;
}

/** leader_election_master_status as the manager's /metrics would report it. */
async function leaderStatus(manager: Manager): Promise<number | undefined> {
  const metric = await manager.registry.getSingleMetric("leader_election_master_status")?.get();
  return metric?.values.find((v) => v.labels.name === "runtime-test")?.value;
}

describe("controller runtime", () => {
  it("only the Lease holder reconciles; a released Lease passes to the standby at once", async () => {
    const seenByFirst: string[] = [];
    const seenBySecond: string[] = [];
    const first = recordingManager("first", seenByFirst);
    expect(first.isReady).toBe(false);
    await first.start();
    expect(first.isReady).toBe(true);
    expect(await leaderStatus(first)).toBe(1);
    const second = recordingManager("second", seenBySecond);
    const secondStarted = second.start();
    // A standby holds no caches by design: ready once it has reached the Lease, so a Deployment stays available.
    await eventually(() => second.isReady, "the standby to be ready");
    expect(await leaderStatus(second)).toBe(0);

    await cp.kubectlOk(["apply", "-f", "-"], machineSet("le-one"));
    await eventually(() => seenByFirst.includes("le-one"), "the leader to reconcile le-one");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(second.isLeader).toBe(false);
    expect(seenBySecond).toEqual([]);
    const lease = await cp.client.get<KubernetesObject & { spec: { holderIdentity: string } }>(
      LeaseResource,
      "default",
      "runtime-test",
    );
    expect(lease.spec.holderIdentity).toBe("first");

    await first.stop();
    // Released on stop, not left to expire: the Lease is free, or already the standby's (it retries every
    // 100 ms). Read from the Lease, not timed: a clock bound failed on a loaded machine.
    const released = await cp.client.get<KubernetesObject & { spec: { holderIdentity: string } }>(
      LeaseResource,
      "default",
      "runtime-test",
    );
    expect(["", "second"]).toContain(released.spec.holderIdentity);
    await secondStarted;
    expect(second.isLeader).toBe(true);
    expect(await leaderStatus(second)).toBe(1);
    expect(await leaderStatus(first)).toBe(0);
    await eventually(() => seenBySecond.includes("le-one"), "the new leader to resync le-one");
    await cp.kubectlOk(["apply", "-f", "-"], machineSet("le-two"));
    await eventually(() => seenBySecond.includes("le-two"), "the new leader to reconcile le-two");
    expect(seenByFirst).not.toContain("le-two");
    await second.stop();
  });

  it("a leader that loses its Lease stops its controllers and says so", async () => {
    const seen: string[] = [];
    let lost = false;
    const manager = new Manager({
      kubeConfig: loadKubeConfig(cp.kubeconfigPath),
      leaderElection: {
        namespace: "default",
        name: "lost-test",
        identity: "victim",
        leaseDurationMs: 1_000,
        retryPeriodMs: 100,
      },
      onLostLeadership: () => {
        lost = true;
      },
    });
    const controller = new Controller({ name: "victim", reconcile: async (key) => void seen.push(key.name) });
    controller.watch(manager.informer(MachineSetResource));
    manager.add(controller);
    await manager.start();
    expect(controller.isRunning).toBe(true);
    // Another replica takes the Lease (as if this one had stalled past its renew deadline).
    const lease = await cp.client.get<KubernetesObject & { spec: Record<string, unknown> }>(
      LeaseResource,
      "default",
      "lost-test",
    );
    const future = new Date(Date.now() + 60_000).toISOString().replace("Z", "000Z");
    await cp.client.replace(LeaseResource, {
      ...lease,
      spec: { ...lease.spec, holderIdentity: "usurper", renewTime: future, leaseDurationSeconds: 60 },
    });
    await eventually(() => lost, "the leader to notice it lost the Lease", 5_000);
    expect(manager.isLeader).toBe(false);
    expect(controller.isRunning).toBe(false);
    const before = seen.length;
    await cp.kubectlOk(["apply", "-f", "-"], machineSet("after-loss"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.length).toBe(before);
    await manager.stop();
  });

  it("aggregates a repeated Event into one with a count", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], machineSet("ev-one"));
    const object = await cp.client.get(MachineSetResource, "default", "ev-one");
    const recorder = new EventRecorder(cp.client, "runtime-test");
    await recorder.normal(object, "Scaled", "scaled to 3");
    await recorder.normal(object, "Scaled", "scaled to 3");
    await recorder.warning(object, "Failed", "something broke");
    const events = await cp.client.list<KubernetesObject & { reason: string; count: number; type: string }>(
      EventResource,
      "default",
      { fieldSelector: `involvedObject.uid=${object.metadata?.uid}` },
    );
    const summary = events.items.map((e) => `${e.type}/${e.reason}/${e.count}`).sort();
    expect(summary).toEqual(["Normal/Scaled/2", "Warning/Failed/1"]);
    const described = await cp.kubectlOk(["describe", "ms", "ev-one"]);
    expect(described).toContain("scaled to 3");
  });

  it("skips a no-op status patch and writes a real change", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], machineSet("st-one"));
    const object = await cp.client.get<KubernetesObject & { status?: Record<string, unknown> }>(
      MachineSetResource,
      "default",
      "st-one",
    );
    const written = await patchStatus(cp.client, MachineSetResource, object, {
      replicas: 0,
      selector: "set=st-one",
    });
    expect(written.status).toMatchObject({ replicas: 0, selector: "set=st-one" });
    const again = await patchStatus(cp.client, MachineSetResource, written, {
      replicas: 0,
      selector: "set=st-one",
    });
    expect(again.metadata?.resourceVersion).toBe(written.metadata?.resourceVersion);
  });

  it("adds and removes a finalizer, refusing a stale read", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], machineSet("fin-one"));
    const object = await cp.client.get(MachineSetResource, "default", "fin-one");
    const withFinalizer = await addFinalizer(cp.client, MachineSetResource, object, "test.clusterform.io/x");
    expect(withFinalizer.metadata?.finalizers).toEqual(["test.clusterform.io/x"]);
    const stale = await addFinalizer(cp.client, MachineSetResource, object, "test.clusterform.io/y").then(
      () => "accepted",
      (error: { statusCode?: number; retryable?: boolean }) =>
        `${error.statusCode} retryable=${error.retryable}`,
    );
    expect(stale).toBe("409 retryable=true");
    const without = await removeFinalizer(
      cp.client,
      MachineSetResource,
      withFinalizer,
      "test.clusterform.io/x",
    );
    expect(without.metadata?.finalizers ?? []).toEqual([]);
  });

  it("a request the server never answers fails as retryable instead of hanging", async () => {
    const silent = createServer(() => {}); // accepts connections, never speaks
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as AddressInfo).port;
    const kubeConfig = loadKubeConfig(cp.kubeconfigPath);
    kubeConfig.loadFromOptions({
      users: kubeConfig.users,
      contexts: kubeConfig.contexts,
      currentContext: kubeConfig.currentContext,
      clusters: kubeConfig.clusters.map((c) => ({ ...c, server: `https://127.0.0.1:${port}` })),
    });
    const client = new ApiClient(kubeConfig, 200);
    const started = Date.now();
    const error = await client.get(MachineSetResource, "default", "x").then(
      () => undefined,
      (e: unknown) => e,
    );
    client.close();
    silent.close();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ statusCode: 0, retryable: true });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
