/**
 * CRD `pattern` keywords, evaluated with RE2 semantics like the apiserver
 * (Go's regexp package). RE2 matches in time linear in the input, so no
 * pattern and value can stall the server the way a backtracking engine does
 * on `^(a+)+$` against "aaaa…!"; and a pattern RE2 cannot parse (lookaround,
 * backreferences) is rejected when the CRD is created, as Kubernetes does.
 * re2js is a pure-JavaScript port of RE2/J: no native build, no download.
 */
import { RE2JS } from "re2js";

/** Compiled patterns by source; CRD schemas reuse a handful of patterns for every request. */
const compiled = new Map<string, RE2JS>();
const cacheLimit = 1000;

function compile(pattern: string): RE2JS {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = RE2JS.compile(pattern);
    if (compiled.size >= cacheLimit) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex;
}

/** Why RE2 refuses `pattern`, or undefined when it compiles. */
export function patternSyntaxError(pattern: string): string | undefined {
  try {
    compile(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Whether `value` contains a match of `pattern` (unanchored, as OpenAPI and
 * the apiserver use it). A pattern that does not compile matches nothing;
 * CRD admission keeps such patterns out, so this only guards stored data.
 */
export function matchesPattern(pattern: string, value: string): boolean {
  try {
    return compile(pattern).matcher(value).find();
  } catch {
    return false;
  }
}
