import { describe, expect, it } from "vitest";
import { validateCrd } from "../crd.js";
import type { KubeObject } from "../store.js";
import { matchesPattern, patternSyntaxError } from "./pattern.js";
import { validateValue } from "./validate.js";

function crdWithPattern(pattern: unknown, where: "property" | "items" | "allOf" = "property"): KubeObject {
  const leaf = { type: "string", pattern };
  const name =
    where === "items"
      ? { type: "array", items: leaf }
      : where === "allOf"
        ? { type: "string", allOf: [{ pattern }] }
        : leaf;
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "things.example.com" },
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { plural: "things", kind: "Thing" },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: { spec: { type: "object", properties: { name } } },
            },
          },
        },
      ],
    },
  };
}

describe("CRD patterns with RE2 semantics", () => {
  it("matches a backtracking-prone pattern against an adversarial value in linear time", () => {
    const started = performance.now();
    expect(matchesPattern("^(a+)+$", `${"a".repeat(40)}!`)).toBe(false);
    expect(matchesPattern("^(a|a)*$", `${"a".repeat(100_000)}!`)).toBe(false);
    expect(matchesPattern("^(a+)+$", "a".repeat(40))).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("searches unanchored, like the apiserver", () => {
    expect(matchesPattern("b", "abc")).toBe(true);
    expect(matchesPattern("^b", "abc")).toBe(false);
  });

  it("reports a value that does not match with its field path", () => {
    const schema = { type: "object", properties: { name: { type: "string", pattern: "^[a-z]+$" } } };
    expect(validateValue({ name: "Nope1" }, schema, "spec")).toEqual([
      expect.objectContaining({
        field: "spec.name",
        message: expect.stringContaining("should match '^[a-z]+$'"),
      }),
    ]);
  });

  it("refuses what RE2 cannot parse: lookarounds, backreferences, bad syntax, huge repeats", () => {
    for (const bad of ["(?=a)b", "(?!a)b", "(?<=a)b", "(a)\\1", "[a-", "a{1001}", "a**"])
      expect(patternSyntaxError(bad), bad).toBeDefined();
    for (const good of ["^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "\\p{Greek}", "(?i)abc", "a{2,5}"])
      expect(patternSyntaxError(good), good).toBeUndefined();
  });

  it("rejects a CRD whose pattern RE2 cannot parse, naming the schema field", () => {
    const causes = validateCrd(crdWithPattern("^(?!admin).*$"));
    expect(causes).toEqual([
      expect.objectContaining({
        field: "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[name].pattern",
        message: expect.stringContaining("must be a valid regular expression"),
      }),
    ]);
    expect(validateCrd(crdWithPattern("(a)\\1", "items"))[0]?.field).toBe(
      "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[name].items.pattern",
    );
    expect(validateCrd(crdWithPattern("(?<=x)", "allOf"))[0]?.field).toBe(
      "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[name].allOf[0].pattern",
    );
    expect(validateCrd(crdWithPattern(42))[0]?.field).toMatch(/properties\[name\]\.pattern$/);
    expect(validateCrd(crdWithPattern("^[a-z]+$"))).toEqual([]);
  });
});

describe("malformed CRD schemas", () => {
  it("names the schema node of the wrong shape instead of failing while reading it", () => {
    const crd = crdWithPattern("^a$");
    const root = (crd.spec as { versions: { schema: { openAPIV3Schema: Record<string, unknown> } }[] })
      .versions[0]?.schema.openAPIV3Schema as Record<string, unknown>;
    root.properties = {
      spec: null,
      list: { type: "array", items: "x" },
      n: { type: "string", maxLength: "9" },
    };
    root.allOf = "x";
    expect(validateCrd(crd).map((cause) => cause.field)).toEqual(
      expect.arrayContaining([
        "spec.versions[0].schema.openAPIV3Schema.allOf",
        "spec.versions[0].schema.openAPIV3Schema.properties[spec]",
        "spec.versions[0].schema.openAPIV3Schema.properties[list].items",
        "spec.versions[0].schema.openAPIV3Schema.properties[n].maxLength",
      ]),
    );
  });
});
