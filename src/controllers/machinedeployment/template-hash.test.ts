import { describe, expect, it } from "vitest";
import { TEMPLATE_HASH_LABEL, templateHash } from "./template-hash.js";

const template = {
  metadata: { labels: { pool: "a", "cluster.k8s.io/cluster-name": "c1" } },
  spec: { providerSpec: { value: { instanceType: "t3.micro", ami: { id: "ami-1" } } } },
};

describe("templateHash", () => {
  it("is stable across key order and ignores its own label", () => {
    const reordered = {
      spec: { providerSpec: { value: { ami: { id: "ami-1" }, instanceType: "t3.micro" } } },
      metadata: { labels: { "cluster.k8s.io/cluster-name": "c1", pool: "a", [TEMPLATE_HASH_LABEL]: "x" } },
    };
    expect(templateHash(reordered)).toBe(templateHash(template));
    expect(templateHash(template)).toMatch(/^[0-9a-f]{10}$/);
  });

  it("changes when the spec or labels change", () => {
    const bigger = structuredClone(template);
    bigger.spec.providerSpec.value.instanceType = "t3.large";
    expect(templateHash(bigger)).not.toBe(templateHash(template));
    const relabelled = structuredClone(template);
    relabelled.metadata.labels.pool = "b";
    expect(templateHash(relabelled)).not.toBe(templateHash(template));
  });
});
