/**
 * Decoding of request bodies with the apiserver's nesting limit. Go's JSON
 * scanner and go-yaml both refuse documents nested more than 10000 levels
 * ("exceeded max depth of 10000"); without the limit a deep document would
 * overflow the stack of the recursive walks after parsing (a 500).
 */
import { parse as parseYaml } from "yaml";
import { badRequest } from "./api-error.js";

export const maxNestingDepth = 10_000;

const depthMessage = `exceeded max depth of ${maxNestingDepth}`;

/** Deepest `[`/`{` nesting in JSON text, ignoring brackets inside strings; stops past the limit. */
function jsonTextDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > maxNestingDepth) return deepest;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return deepest;
}

/** Nesting depth of a parsed value, walked without recursion; stops past the limit. */
export function valueDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== "object") continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > maxNestingDepth) return deepest;
    for (const child of Object.values(node)) stack.push([child, level]);
  }
  return deepest;
}

/** JSON.parse with the nesting limit; errors are 400s starting with `what`. */
export function parseJsonText(raw: string, what: string): unknown {
  if (jsonTextDepth(raw) > maxNestingDepth) throw badRequest(`${what}: ${depthMessage}`);
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw badRequest(`${what}: ${(error as Error).message}`);
  }
}

/** YAML parse (one document) with the nesting limit; errors are 400s starting with `what`. */
export function parseYamlText(raw: string, what: string): unknown {
  let value: unknown;
  try {
    // maxAliasCount bounds alias expansion (a "billion laughs" body).
    value = parseYaml(raw, { maxAliasCount: 100 });
  } catch (error) {
    throw badRequest(`${what}: ${(error as Error).message}`);
  }
  if (valueDepth(value) > maxNestingDepth) throw badRequest(`${what}: ${depthMessage}`);
  return value;
}
