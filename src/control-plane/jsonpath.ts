/**
 * The JSONPath subset printer columns use: `.a.b`, `.a[0]`, `.a[*].b`,
 * `.a[?(@.type=="Ready")].status`, with optional `{}` braces. Expressions
 * come from CRDs (user input, up to the body limit), so they are split and
 * parsed by linear scans rather than regular expressions that could backtrack.
 */
export function evaluateJsonPath(value: unknown, expression: string): unknown[] {
  let path = expression.trim();
  if (path.startsWith("{") && path.endsWith("}")) path = path.slice(1, -1);
  if (path.startsWith("$")) path = path.slice(1);
  let current: unknown[] = [value];
  for (const token of tokenize(path)) {
    current = current.flatMap((node) => step(node, token));
  }
  return current.filter((node) => node !== undefined);
}

/**
 * `.name` tokens (a field name may contain escaped dots, as in
 * `.metadata.labels.cluster\.k8s\.io/cluster-name`) and `[...]` tokens.
 * Anything else ends the path, as does an unterminated `[`.
 */
export function tokenize(path: string): string[] {
  const tokens: string[] = [];
  let index = 0;
  while (index < path.length) {
    const char = path[index];
    if (char === "[") {
      const end = path.indexOf("]", index);
      if (end < 0) break;
      tokens.push(path.slice(index, end + 1));
      index = end + 1;
    } else if (char === ".") {
      let end = index + 1;
      while (end < path.length && path[end] !== "." && path[end] !== "[") end += path[end] === "\\" ? 2 : 1;
      end = Math.min(end, path.length);
      if (end > index + 1) tokens.push(path.slice(index, end));
      index = end;
    } else index += 1;
  }
  return tokens;
}

interface Filter {
  field: string;
  op: "==" | "!=";
  expected: string;
}

/** `?(@.field==value)` with the value optionally quoted; undefined when `inner` is not a filter. */
export function parseFilter(inner: string): Filter | undefined {
  if (!inner.startsWith("?(@.") || !inner.endsWith(")")) return undefined;
  const body = inner.slice(4, -1);
  const equals = body.indexOf("==");
  const differs = body.indexOf("!=");
  const at = equals >= 0 && (differs < 0 || equals < differs) ? equals : differs;
  if (at < 0) return undefined;
  const field = body.slice(0, at).trim();
  if (!/^[\w.]+$/.test(field)) return undefined;
  let expected = body.slice(at + 2).trim();
  const quote = expected[0];
  if ((quote === '"' || quote === "'") && expected.endsWith(quote) && expected.length >= 2)
    expected = expected.slice(1, -1);
  return { field, op: at === equals ? "==" : "!=", expected };
}

function step(node: unknown, token: string): unknown[] {
  if (node === null || typeof node !== "object") return [];
  if (token.startsWith(".")) {
    const name = token.slice(1).replace(/\\\./g, ".");
    if (name === "*") return Object.values(node);
    return [(node as Record<string, unknown>)[name]];
  }
  const inner = token.slice(1, -1).trim();
  if (!Array.isArray(node)) {
    const quote = inner[0];
    if ((quote === '"' || quote === "'") && inner.endsWith(quote) && inner.length >= 2)
      return [(node as Record<string, unknown>)[inner.slice(1, -1)]];
    return [];
  }
  if (inner === "*") return node;
  const filter = parseFilter(inner);
  if (filter) {
    return node.filter((item) => {
      const actual = evaluateJsonPath(item, `.${filter.field}`)[0];
      return filter.op === "==" ? String(actual) === filter.expected : String(actual) !== filter.expected;
    });
  }
  const index = Number(inner);
  if (Number.isInteger(index)) return [node[index < 0 ? node.length + index : index]];
  return [];
}
