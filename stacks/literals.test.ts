// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform template syntax in plain strings is what these values are about.
import { describe, expect, it } from "vitest";
import { escapeTerraformTemplate, LiteralTable } from "./literals.js";

describe("escapeTerraformTemplate", () => {
  it.each([
    ["${a}", "$${a}"],
    ["%{ if x }", "%%{ if x }"],
    ["$${a}", "$$${a}"],
    ["a$b%c{d}", "a$b%c{d}"],
    ["${TfToken[TOKEN.1]}", "$${TfToken[TOKEN.1]}"],
    ["", ""],
  ])("escapes %j as %j", (raw, escaped) => {
    expect(escapeTerraformTemplate(raw)).toBe(escaped);
  });
});

describe("LiteralTable", () => {
  it("replaces markers in keys and values, also inside larger strings", () => {
    const table = new LiteralTable();
    const key = table.literal("${k}");
    const value = table.literal("%{v}");
    const tree = { tags: { [key]: value }, list: [`${table.literal("h")}:6443`] };
    expect(table.substitute(tree)).toEqual({ tags: { "$${k}": "%%{v}" }, list: ["h:6443"] });
  });

  it("never re-reads a substituted literal, even one that looks like a marker", () => {
    const table = new LiteralTable();
    const first = table.literal("x");
    const forged = table.literal(first);
    expect(table.substitute({ a: forged })).toEqual({ a: first });
  });

  it("keeps a __proto__ key an ordinary key", () => {
    const table = new LiteralTable();
    const out = table.substitute({ tags: { [table.literal("__proto__")]: table.literal("v") } }) as {
      tags: Record<string, string>;
    };
    expect(Object.keys(out.tags)).toEqual(["__proto__"]);
    expect(JSON.stringify(out)).toBe('{"tags":{"__proto__":"v"}}');
  });

  it("refuses two keys that become the same literal", () => {
    const table = new LiteralTable();
    expect(() => table.substitute({ [table.literal("a")]: 1, [table.literal("a")]: 2 })).toThrow(
      /same key "a"/,
    );
  });
});
