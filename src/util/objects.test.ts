import { describe, expect, it } from "vitest";
import { hasFinalizer, isDeleting } from "./objects.js";

describe("object predicates", () => {
  it("hasFinalizer looks for the exact finalizer", () => {
    const object = { metadata: { finalizers: ["a.io/x", "b.io/y"] } };
    expect(hasFinalizer(object, "b.io/y")).toBe(true);
    expect(hasFinalizer(object, "b.io")).toBe(false);
    expect(hasFinalizer({ metadata: {} }, "a.io/x")).toBe(false);
    expect(hasFinalizer({}, "a.io/x")).toBe(false);
  });

  it("isDeleting is true once deletionTimestamp is set", () => {
    expect(isDeleting({ metadata: { deletionTimestamp: "2026-01-01T00:00:00Z" } })).toBe(true);
    expect(isDeleting({ metadata: {} })).toBe(false);
  });
});
