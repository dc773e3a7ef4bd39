import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { Controller } from "../runtime/controller.js";
import type { ObjectChange, SharedInformer } from "../runtime/informer.js";
import { approvalOnly, settledKeys } from "./settle.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An informer the test drives by hand. */
function handInformer() {
  let handler: ((object: KubernetesObject, change: ObjectChange<KubernetesObject>) => void) | undefined;
  const informer = {
    onChange: (h: typeof handler) => {
      handler = h;
    },
    resync: () => {},
  } as unknown as SharedInformer<KubernetesObject>;
  const add = (name: string) =>
    handler?.({ metadata: { name, namespace: "ns", labels: { cluster: "demo" } } }, { type: "add" });
  return { informer, add };
}

const toCluster = (object: KubernetesObject) => [`ns/${object.metadata?.labels?.cluster}`];

function countingController() {
  const reconciled: string[] = [];
  const controller = new Controller({
    name: "cluster",
    maxConcurrent: 2,
    reconcile: async (key) => {
      reconciled.push(key.name);
    },
  });
  return { controller, reconciled };
}

describe("settledKeys", () => {
  it("folds a burst of R Machine creations into one reconcile of their Cluster", async () => {
    const { controller, reconciled } = countingController();
    const machines = handInformer();
    // A settle time far above the burst's length, so a loaded machine cannot split it.
    controller.watch(machines.informer, settledKeys(controller, toCluster, 1_000));
    controller.start();
    for (let replica = 0; replica < 8; replica++) {
      machines.add(`md-${replica}`);
      await sleep(5);
    }
    await sleep(2_000);
    await controller.stop();
    expect(reconciled).toEqual(["demo"]);
  });

  it("is bounded: later changes never push the first one's reconcile back", async () => {
    const { controller, reconciled } = countingController();
    const machines = handInformer();
    controller.watch(machines.informer, settledKeys(controller, toCluster, 200));
    controller.start();
    const started = Date.now();
    machines.add("m-0");
    // Changes keep coming for up to 5 s; a settle that restarted with each would wait them all out.
    while (reconciled.length === 0 && Date.now() - started < 5_000) {
      machines.add(`m-${Date.now()}`);
      await sleep(20);
    }
    await controller.stop();
    expect(reconciled.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it("without a settle time, reconciles at the first change", async () => {
    const { controller, reconciled } = countingController();
    const machines = handInformer();
    controller.watch(machines.informer, settledKeys(controller, toCluster, 0));
    controller.start();
    machines.add("m-0");
    await sleep(30);
    await controller.stop();
    expect(reconciled).toEqual(["demo"]);
  });

  it("enqueues at once a change `atOnce` accepts, cutting a settle already under way short", async () => {
    const { controller, reconciled } = countingController();
    const machines = handInformer();
    controller.watch(
      machines.informer,
      settledKeys(controller, toCluster, 5_000, (object) => object.metadata?.name === "approval"),
    );
    controller.start();
    machines.add("m-0");
    machines.add("approval");
    await sleep(300);
    await controller.stop();
    expect(reconciled).toEqual(["demo"]);
  });
});

describe("approvalOnly", () => {
  const cluster = (annotations: Record<string, string>, spec: object = { a: 1 }): KubernetesObject =>
    ({ metadata: { name: "c", annotations }, spec }) as KubernetesObject;
  const update = (previous: KubernetesObject) => ({ type: "update" as const, previous });
  const approve = "clusterform.io/approve-plan";

  it("is true for an update that sets or changes only the approval", () => {
    expect(approvalOnly(cluster({ [approve]: "abc" }), update(cluster({})))).toBe(true);
    expect(
      approvalOnly(cluster({ x: "1", [approve]: "def" }), update(cluster({ x: "1", [approve]: "abc" }))),
    ).toBe(true);
  });

  it("is false for anything else: another annotation or the spec changed too, an unchanged or removed approval, a create", () => {
    expect(approvalOnly(cluster({ [approve]: "abc", x: "2" }), update(cluster({ x: "1" })))).toBe(false);
    expect(approvalOnly(cluster({ [approve]: "abc" }, { a: 2 }), update(cluster({})))).toBe(false);
    expect(approvalOnly(cluster({ [approve]: "abc" }), update(cluster({ [approve]: "abc" })))).toBe(false);
    expect(approvalOnly(cluster({}), update(cluster({ [approve]: "abc" })))).toBe(false);
    expect(approvalOnly(cluster({ [approve]: "abc" }), { type: "add" })).toBe(false);
  });
});
