import { describe, expect, it } from "vitest";
import { maxNestingDepth, valueDepth } from "../util/nesting.js";
import { ApiError } from "./api-error.js";
import { parseJsonText, parseYamlText } from "./body-parse.js";

const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

function badRequestOf(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected an ApiError");
}

describe("request body decoding", () => {
  it("accepts JSON nested exactly to the limit and refuses one more with 400", () => {
    expect(valueDepth(parseJsonText(nested(maxNestingDepth), "body"))).toBe(maxNestingDepth);
    const error = badRequestOf(() => parseJsonText(nested(maxNestingDepth + 1), "body"));
    expect(error.code).toBe(400);
    expect(error.message).toBe(`body: exceeded max depth of ${maxNestingDepth}`);
  });

  it("refuses, without overflowing the stack, bodies deeper than the apiserver's own limit of 10000", () => {
    expect(badRequestOf(() => parseJsonText(nested(1_000_000), "body")).code).toBe(400);
    const flow = `spec: ${"{a: ".repeat(5_000)}1${"}".repeat(5_000)}`;
    expect(badRequestOf(() => parseYamlText(flow, "yaml")).code).toBe(400);
  });

  it("does not count brackets inside strings", () => {
    const text = JSON.stringify({ a: "[".repeat(20_000), b: '\\"{{{' });
    expect(parseJsonText(text, "body")).toEqual(JSON.parse(text));
  });

  it("refuses a deeply nested YAML body and malformed JSON with 400", () => {
    const yaml = `${"- ".repeat(maxNestingDepth + 1)}x\n`;
    expect(badRequestOf(() => parseYamlText(yaml, "yaml")).code).toBe(400);
    expect(badRequestOf(() => parseJsonText("{nope", "body")).code).toBe(400);
  });

  it("refuses a YAML alias bomb instead of expanding it", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(",")}]`);
    }
    expect(badRequestOf(() => parseYamlText(lines.join("\n"), "yaml")).code).toBe(400);
  });
});
