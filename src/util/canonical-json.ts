/**
 * JSON with object keys sorted at every level and undefined members dropped
 * (as JSON.stringify drops them): equal values always give equal bytes, so the
 * text can be hashed or compared. Arrays keep their order. `indent` gives the
 * pretty form written to files (cdk.tf.json); without it the text is compact.
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent) ?? "null";
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
