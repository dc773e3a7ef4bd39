/**
 * JSON with object keys sorted at every level and two-space indentation, plus
 * a final newline: the same tree always gives the same bytes. Arrays keep
 * their order (block order and list order are meaningful to Terraform).
 */
export function canonicalJson(tree: unknown): string {
  return `${JSON.stringify(sortKeys(tree), null, 2)}\n`;
}

function sortKeys(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(sortKeys);
  if (node !== null && typeof node === "object") {
    const sorted: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(node).sort()) {
      const value = (node as Record<string, unknown>)[key];
      if (value !== undefined) sorted[key] = sortKeys(value);
    }
    return sorted;
  }
  return node;
}
