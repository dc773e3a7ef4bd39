import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";

describe("canonicalJson", () => {
  it("sorts keys at every level and drops undefined members, as JSON.stringify does", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });

  it("gives equal text for equal values in any key order", () => {
    expect(canonicalJson({ x: { q: [1, 2], p: null }, w: "s" })).toBe(
      canonicalJson({ w: "s", x: { p: null, q: [1, 2] } }),
    );
  });

  it("keeps array order and writes undefined array items as null", () => {
    expect(canonicalJson([3, undefined, 1])).toBe("[3,null,1]");
  });

  it("answers null for a bare undefined rather than no text", () => {
    expect(canonicalJson(undefined)).toBe("null");
  });

  it("indents when asked (the configuration file form)", () => {
    expect(canonicalJson({ b: 1, a: 2 }, 2)).toBe('{\n  "a": 2,\n  "b": 1\n}');
  });

  it("treats keys that look like prototype members as plain data", () => {
    const value = JSON.parse('{"__proto__": {"x": 1}, "a": 0}');
    expect(canonicalJson(value)).toBe('{"__proto__":{"x":1},"a":0}');
  });
});
