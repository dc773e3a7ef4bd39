import { describe, expect, it } from "vitest";
import { machinesAwaitingRelease, objectsMissingFinalizer } from "./finalizers.js";
import { CLUSTER_FINALIZER, MACHINE_FINALIZER } from "./names.js";
import { awsMachine, testScope } from "./test-scope.js";

describe("objectsMissingFinalizer", () => {
  it("asks for the cluster and machine finalizers on new objects", () => {
    const missing = objectsMissingFinalizer(testScope([awsMachine("a")]));
    expect(missing.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(["Cluster/demo", "Machine/a"]);
  });

  it("never adds a finalizer to an object being deleted", () => {
    const scope = testScope([awsMachine("a", { deletionTimestamp: "2026-01-01T00:00:00Z" })]);
    scope.cluster.metadata.finalizers = [CLUSTER_FINALIZER];
    expect(objectsMissingFinalizer(scope)).toEqual([]);
  });

  it("needs nothing once every object holds its finalizer", () => {
    const scope = testScope([awsMachine("a", { finalizers: [MACHINE_FINALIZER] })]);
    scope.cluster.metadata.finalizers = ["other", CLUSTER_FINALIZER];
    expect(objectsMissingFinalizer(scope)).toEqual([]);
  });
});

describe("machinesAwaitingRelease", () => {
  it("holds deleting machines that still carry our finalizer, nothing else", () => {
    const scope = testScope([
      awsMachine("live", { finalizers: [MACHINE_FINALIZER] }),
      awsMachine("leaving", { finalizers: [MACHINE_FINALIZER], deletionTimestamp: "2026-01-01T00:00:00Z" }),
      awsMachine("released", { finalizers: ["other"], deletionTimestamp: "2026-01-01T00:00:00Z" }),
    ]);
    expect(machinesAwaitingRelease(scope).map((m) => m.metadata.name)).toEqual(["leaving"]);
  });
});
