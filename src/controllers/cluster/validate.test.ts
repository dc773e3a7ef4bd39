import { describe, expect, it } from "vitest";
import { testScope } from "./test-scope.js";
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
});
