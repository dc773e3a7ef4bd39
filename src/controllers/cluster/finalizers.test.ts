import { describe, expect, it } from "vitest";
import { machinesAwaitingRelease, machinesToRelease, objectsMissingFinalizer } from "./finalizers.js";
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

describe("machinesToRelease", () => {
  const leavingScope = (applied: { configHash: string; applyStartedFor?: string }) =>
    testScope(
      [
        awsMachine("a", { finalizers: [MACHINE_FINALIZER] }),
        awsMachine("x", { finalizers: [MACHINE_FINALIZER], deletionTimestamp: "2026-01-01T00:00:00Z" }),
      ],
      { applied: { provider: "aws", outputs: {}, appliedAt: "2026-01-01T00:00:00Z", ...applied } },
    );

  it("releases a deleting machine once the stack was applied exactly as configured without it", () => {
    expect(
      machinesToRelease(leavingScope({ configHash: "without-x" }), "without-x").map((m) => m.metadata.name),
    ).toEqual(["x"]);
  });

  it("keeps it while the applied configuration differs from the current one", () => {
    expect(machinesToRelease(leavingScope({ configHash: "with-x" }), "without-x")).toEqual([]);
  });

  it("keeps it after an apply that began and did not finish, even when the hashes match again", () => {
    // The apply of the configuration with x failed after creating x's instance; x was deleted
    // meanwhile, so the remaining Machines hash back to the recorded configuration.
    const scope = leavingScope({ configHash: "without-x", applyStartedFor: "with-x" });
    expect(machinesToRelease(scope, "without-x")).toEqual([]);
  });

  it("keeps it when nothing was ever applied from this state directory", () => {
    const scope = leavingScope({ configHash: "without-x" });
    scope.applied = undefined;
    expect(machinesToRelease(scope, "without-x")).toEqual([]);
  });
});
