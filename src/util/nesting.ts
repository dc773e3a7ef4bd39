/**
 * Nesting limits for documents from users. Go's JSON scanner and go-yaml
 * refuse documents nested more than 10000 levels ("exceeded max depth of
 * 10000"). Ours is lower, 500: admission and the YAML library walk values
 * recursively and overflow the stack between 800 (YAML flow collections) and
 * 2000 levels, and a stack overflow that happens while V8 compiles a regular
 * expression aborts the whole process instead of throwing. Real manifests
 * nest a few dozen levels. The text bounds run before any parser sees the
 * text, so a deep document costs a linear scan, not seconds of parsing.
 */
export const maxNestingDepth = 500;

/** Deepest `[`/`{` nesting in JSON text, ignoring brackets inside strings; stops past the limit. */
export function jsonTextDepth(text: string): number {
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

/**
 * An upper bound of a YAML document's nesting, found without parsing: each
 * block level needs at least one more column of indentation or one more
 * `- `/`? `/`: ` indicator before a line's content, and flow collections nest
 * with brackets. The YAML library takes seconds on a document nested tens of
 * thousands deep, so such bodies are refused before it sees them.
 */
export function yamlDepthBound(text: string): number {
  let deepest = 0;
  let lineStart = true;
  let prefix = 0;
  let flow = 0;
  let quote = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 0x0a) {
      lineStart = true;
      prefix = 0;
      quote = 0;
      continue;
    }
    if (lineStart) {
      // spaces, tabs, '-', '?', ':' make up a line's indentation and block indicators
      if (char === 0x20 || char === 0x09 || char === 0x2d || char === 0x3f || char === 0x3a) {
        prefix++;
        if (prefix > deepest) deepest = prefix;
        continue;
      }
      lineStart = false;
    }
    if (quote) {
      if (char === quote) quote = 0;
    } else if (char === 0x22 || char === 0x27) quote = char;
    else if (char === 0x5b || char === 0x7b) {
      flow++;
      if (flow + prefix > deepest) deepest = flow + prefix;
    } else if ((char === 0x5d || char === 0x7d) && flow > 0) flow--;
    if (deepest > maxNestingDepth) return deepest;
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
