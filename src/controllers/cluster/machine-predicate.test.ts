import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { Machine } from "../../api/machine.js";
import { machineChangeMatters } from "./machine-predicate.js";
import { awsMachine } from "./test-scope.js";

type M = Machine & KubernetesObject;
const provisioned = (): M => {
  const m = awsMachine("a") as M;
  return { ...m, status: { providerID: "aws:////i-1" } };
};
const update = (previous: M) => ({ type: "update" as const, previous });

describe("machineChangeMatters (the cluster controller's Machine watch)", () => {
  it("drops the reconciler's own spec.providerID copy", () => {
    const before = provisioned();
    const after = {
      ...before,
      metadata: { ...before.metadata, generation: 2, resourceVersion: "9" },
      spec: { ...before.spec, providerID: "aws:////i-1" },
    };
    expect(machineChangeMatters(after, update(before))).toBe(false);
  });

  it("keeps a spec change that comes with the copy, and a providerID that is not the status's", () => {
    const before = provisioned();
    const withSpec = {
      ...before,
      metadata: { ...before.metadata, generation: 2 },
      spec: { ...before.spec, providerID: "aws:////i-1", versions: { kubelet: "1.14.0" } },
    };
    expect(machineChangeMatters(withSpec, update(before))).toBe(true);
    const other = {
      ...before,
      metadata: { ...before.metadata, generation: 2 },
      spec: { ...before.spec, providerID: "aws:////i-other" },
    };
    expect(machineChangeMatters(other, update(before))).toBe(true);
  });

  it("still drops status-only updates and passes adds", () => {
    const before = provisioned();
    expect(machineChangeMatters({ ...before, status: { phase: "Running" } }, update(before))).toBe(false);
    expect(machineChangeMatters(before, { type: "add" })).toBe(true);
  });
});
