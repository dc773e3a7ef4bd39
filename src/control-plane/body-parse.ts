/** Decoding of request bodies with the nesting limit of src/util/nesting.ts (400s, as kube-apiserver). */
import { parse as parseYaml } from "yaml";
import { jsonTextDepth, maxNestingDepth, valueDepth, yamlDepthBound } from "../util/nesting.js";
import { badRequest } from "./api-error.js";

const depthMessage = `exceeded max depth of ${maxNestingDepth}`;

/** Refuses a value (a body, or an object a patch produced) nested past the limit, with a 400. */
export function assertNestingDepth(value: unknown, what: string): void {
  if (valueDepth(value) > maxNestingDepth) throw badRequest(`${what}: ${depthMessage}`);
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
  if (yamlDepthBound(raw) > maxNestingDepth) throw badRequest(`${what}: ${depthMessage}`);
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
