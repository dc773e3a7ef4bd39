import { describe, expect, it } from "vitest";
import type { KubeObject } from "../store.js";
import { applyConfiguration, type OwnershipContext, recordUpdate } from "./managed-fields.js";
import { applyMerge, mergePatch, strategicMergePatch } from "./merge.js";

describe("merge patches", () => {
  it("merge patch deletes keys set to null and replaces lists", () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null }, l: [3] })).toEqual({
      a: 1,
      b: { d: 3 },
      l: [3],
    });
  });

  it("strategic merge keeps ownerReferences by uid and honours $deleteFromPrimitiveList", () => {
    const current = {
      metadata: { ownerReferences: [{ uid: "1", name: "a" }], finalizers: ["x", "y"] },
      data: { k1: "v1", k2: "v2" },
    };
    const patched = strategicMergePatch(current, {
      $setElementOrder: undefined,
      metadata: { ownerReferences: [{ uid: "2", name: "b" }], "$deleteFromPrimitiveList/finalizers": ["x"] },
      data: { k2: null, k3: "v3" },
    });
    expect(patched).toEqual({
      metadata: {
        ownerReferences: [
          { uid: "1", name: "a" },
          { uid: "2", name: "b" },
        ],
        finalizers: ["y"],
      },
      data: { k1: "v1", k3: "v3" },
    });
  });
});

describe("server-side apply ownership", () => {
  const context = (manager: string): OwnershipContext => ({
    manager,
    apiVersion: "example.com/v1",
    schema: undefined,
    statusIsSubresource: true,
  });
  const merge = (target: unknown, patch: unknown) => applyMerge(target, patch, undefined);
  const base = (): KubeObject => ({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } });

  it("conflicts when another manager owns a field with a different value, unless forced", () => {
    const applied = applyConfiguration(
      base(),
      { ...base(), spec: { size: "small" } },
      context("alice"),
      false,
      merge,
    );
    const edited = structuredClone(applied);
    edited.spec = { size: "large" };
    recordUpdate(applied, edited, context("bob"));
    expect(() =>
      applyConfiguration(edited, { ...base(), spec: { size: "small" } }, context("alice"), false, merge),
    ).toThrow(/conflict with "bob" using example.com\/v1: .spec.size/);
    const forced = applyConfiguration(
      edited,
      { ...base(), spec: { size: "small" } },
      context("alice"),
      true,
      merge,
    );
    expect(forced.spec).toEqual({ size: "small" });
    expect(forced.metadata.managedFields?.map((m) => m.manager)).toEqual(["alice"]);
  });

  it("removes fields the applier no longer applies", () => {
    const first = applyConfiguration(
      base(),
      { ...base(), spec: { size: "small", color: "red" } },
      context("alice"),
      false,
      merge,
    );
    const second = applyConfiguration(
      first,
      { ...base(), spec: { size: "small" } },
      context("alice"),
      false,
      merge,
    );
    expect(second.spec).toEqual({ size: "small" });
  });
});
