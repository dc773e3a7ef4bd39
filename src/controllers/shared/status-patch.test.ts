import { describe, expect, it } from "vitest";
import { deepEqual, mergePatchBetween } from "./status-patch.js";

describe("mergePatchBetween", () => {
  it("is undefined when nothing changed, whatever the key order", () => {
    expect(mergePatchBetween({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBeUndefined();
  });

  it("carries changed leaves, nulls removed keys and replaces arrays whole", () => {
    const patch = mergePatchBetween(
      {
        replicas: 2,
        errorReason: "InvalidConfiguration",
        conditions: [{ type: "Ready" }],
        nested: { x: 1, y: 2 },
      },
      { replicas: 3, conditions: [{ type: "Ready" }, { type: "Other" }], nested: { x: 1, y: 3 } },
    );
    expect(patch).toEqual({
      replicas: 3,
      errorReason: null,
      conditions: [{ type: "Ready" }, { type: "Other" }],
      nested: { y: 3 },
    });
  });

  it("treats undefined like absent", () => {
    expect(mergePatchBetween({ a: 1 }, { a: 1, b: undefined })).toBeUndefined();
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  });
});
