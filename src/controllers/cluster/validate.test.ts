import { describe, expect, it } from "vitest";
import { MACHINE_FINALIZER } from "./names.js";
import { awsMachine, testScope } from "./test-scope.js";
import { validate } from "./validate.js";

const s3Annotations = { "clusterform.io/backend": "s3", "clusterform.io/backend-config": "state" };

function scopeWithBackend(
  configMaps: { metadata: { name: string; namespace: string }; data: Record<string, string> }[],
) {
  const scope = testScope([], { configMaps });
  scope.cluster.metadata.annotations = s3Annotations;
  return scope;
}

describe("validate (the controller's model build)", () => {
  it("takes the s3 backend settings from the ConfigMap the Cluster names", () => {
    const result = validate(
      scopeWithBackend([{ metadata: { name: "state", namespace: "default" }, data: { bucket: "tf-state" } }]),
    );
    expect(result.ok).toBe(true);
    expect(result.ok && result.model.backend).toMatchObject({ type: "s3", bucket: "tf-state" });
  });

  it("reports the missing ConfigMap as the Cluster's configuration error", () => {
    const result = validate(scopeWithBackend([]));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => `${e.kind} ${e.name}: ${e.message}`).join("\n")).toMatch(
      /Cluster demo: .*state/,
    );
  });

  it("forgets the instances of deleted Machines annotated on-delete: orphan, destroys the others'", () => {
    const deleting = { deletionTimestamp: "2026-11-28T00:00:00Z", finalizers: [MACHINE_FINALIZER] };
    const scope = testScope([
      awsMachine("kept"),
      awsMachine("orphan", { ...deleting, annotations: { "clusterform.io/on-delete": "orphan" } }),
      awsMachine("gone", deleting),
      awsMachine("released", {
        deletionTimestamp: "2026-11-28T00:00:00Z",
        annotations: { "clusterform.io/on-delete": "orphan" },
      }),
    ]);
    const result = validate(scope);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.model.machines.map((m) => m.name)).toEqual(["kept"]);
    expect(result.model.orphanedMachines).toEqual(["orphan"]);
  });
});
