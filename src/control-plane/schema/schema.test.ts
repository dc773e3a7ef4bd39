import { describe, expect, it } from "vitest";
import { applyDefaults, pruneValue } from "./prune.js";
import type { JsonSchema } from "./types.js";
import { validateValue } from "./validate.js";

const schema: JsonSchema = {
  type: "object",
  properties: {
    spec: {
      type: "object",
      required: ["size"],
      properties: {
        size: { type: "string", enum: ["small", "large"] },
        replicas: { type: "integer", minimum: 0, default: 1 },
        port: { "x-kubernetes-int-or-string": true },
        extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        items: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
      },
    },
  },
};

describe("structural schema handling", () => {
  it("reports invalid values with apiserver field paths", () => {
    const causes = validateValue(
      { spec: { size: "huge", replicas: -1, port: true, items: [{ name: 3 }] } },
      schema,
      "",
    );
    expect(causes.map((c) => c.field)).toEqual([
      "spec.size",
      "spec.replicas",
      "spec.port",
      "spec.items[0].name",
    ]);
    expect(validateValue({ spec: {} }, schema, "")).toEqual([
      { reason: "FieldValueRequired", field: "spec.size", message: "Required value" },
    ]);
  });

  it("prunes undeclared fields except under preserve-unknown-fields and names them", () => {
    const value = {
      spec: { size: "small", colour: "red", extra: { anything: 1 }, items: [{ name: "a", bogus: true }] },
    };
    const pruned: string[] = [];
    pruneValue(value, schema, "", pruned);
    expect(pruned).toEqual(["spec.colour", "spec.items[0].bogus"]);
    expect(value.spec).toEqual({ size: "small", extra: { anything: 1 }, items: [{ name: "a" }] });
  });

  it("fills defaults for absent fields only", () => {
    const value = { spec: { size: "small" } as Record<string, unknown> };
    applyDefaults(value, schema);
    expect(value.spec.replicas).toBe(1);
    const explicit = { spec: { size: "small", replicas: 0 } };
    applyDefaults(explicit, schema);
    expect(explicit.spec.replicas).toBe(0);
  });
});
