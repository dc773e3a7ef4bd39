import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { ignoreStatusOnlyUpdates } from "./predicates.js";

type Obj = KubernetesObject & { status?: unknown; spec?: unknown };

const before: Obj = {
  metadata: {
    name: "demo",
    namespace: "default",
    generation: 3,
    resourceVersion: "10",
    labels: { a: "1" },
    annotations: { "clusterform.io/apply-policy": "auto" },
    finalizers: ["cluster.cluster.k8s.io"],
  },
  spec: { x: 1 },
  status: { phase: "Provisioning" },
};

function updated(change: (o: Obj) => void): Obj {
  const next = structuredClone(before);
  next.metadata = { ...next.metadata, resourceVersion: "11" };
  change(next);
  return next;
}

const update = (object: Obj) => ignoreStatusOnlyUpdates(object, { type: "update", previous: before });

describe("ignoreStatusOnlyUpdates", () => {
  it("drops an update that only wrote status (the controller's own write coming back)", () => {
    expect(update(updated((o) => (o.status = { phase: "Provisioned" })))).toBe(false);
  });

  it("drops an update that only moved resourceVersion or managedFields", () => {
    expect(update(updated((o) => (o.metadata = { ...o.metadata, managedFields: [] })))).toBe(false);
  });

  it("passes a spec change (generation moved)", () => {
    expect(update(updated((o) => (o.metadata = { ...o.metadata, generation: 4 })))).toBe(true);
  });

  it("passes an approval or a policy change: annotations moved, generation did not", () => {
    const approved = updated((o) => {
      o.metadata = {
        ...o.metadata,
        annotations: { ...o.metadata?.annotations, "clusterform.io/approve-plan": "abc" },
      };
    });
    expect(update(approved)).toBe(true);
    const manual = updated((o) => {
      o.metadata = { ...o.metadata, annotations: { "clusterform.io/apply-policy": "manual" } };
    });
    expect(update(manual)).toBe(true);
  });

  it("passes label, finalizer, owner and deletion changes", () => {
    expect(update(updated((o) => (o.metadata = { ...o.metadata, labels: { a: "2" } })))).toBe(true);
    expect(update(updated((o) => (o.metadata = { ...o.metadata, finalizers: [] })))).toBe(true);
    expect(
      update(
        updated(
          (o) =>
            (o.metadata = {
              ...o.metadata,
              ownerReferences: [{ apiVersion: "v1", kind: "MachineSet", name: "s", uid: "u" }],
            }),
        ),
      ),
    ).toBe(true);
    expect(update(updated((o) => (o.metadata = { ...o.metadata, deletionTimestamp: new Date(0) })))).toBe(
      true,
    );
  });

  it("passes adds, deletes, resyncs and updates whose previous object is unknown", () => {
    const object = updated((o) => (o.status = {}));
    expect(ignoreStatusOnlyUpdates(object, { type: "add" })).toBe(true);
    expect(ignoreStatusOnlyUpdates(object, { type: "delete", previous: before })).toBe(true);
    expect(ignoreStatusOnlyUpdates(object, { type: "resync" })).toBe(true);
    expect(ignoreStatusOnlyUpdates(object, { type: "update" })).toBe(true);
  });
});
