/**
 * The JSONPath subset printer columns use: `.a.b`, `.a[0]`, `.a[*].b`,
 * `.a[?(@.type=="Ready")].status`, with optional `{}` braces.
 */
export function evaluateJsonPath(value: unknown, expression: string): unknown[] {
  let path = expression.trim();
  if (path.startsWith("{") && path.endsWith("}")) path = path.slice(1, -1);
  if (path.startsWith("$")) path = path.slice(1);
  let current: unknown[] = [value];
  // A field name may contain escaped dots, as in `.metadata.labels.cluster\.k8s\.io/cluster-name`.
  const tokens = path.match(/\.(?:\\.|[^.[\\])+|\[[^\]]*\]/g) ?? [];
  for (const token of tokens) {
    current = current.flatMap((node) => step(node, token));
  }
  return current.filter((node) => node !== undefined);
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
    const quoted = /^['"](.*)['"]$/.exec(inner);
    return quoted ? [(node as Record<string, unknown>)[quoted[1] as string]] : [];
  }
  if (inner === "*") return node;
  const filter = /^\?\(@\.([\w.]+)\s*(==|!=)\s*['"]?([^'"]*)['"]?\)$/.exec(inner);
  if (filter) {
    const [, field, op, expected] = filter;
    return node.filter((item) => {
      const actual = evaluateJsonPath(item, `.${field}`)[0];
      return op === "==" ? String(actual) === expected : String(actual) !== expected;
    });
  }
  const index = Number(inner);
  if (Number.isInteger(index)) return [node[index < 0 ? node.length + index : index]];
  return [];
}
