// One normalisation of the TypeBox schemas, used both for the CRDs and for
// ajv, so the two can never disagree: plain JSON (no TypeBox symbols), and
// literal unions spelled as `enum` (Kubernetes has no `const`).

export type JsonSchema = { [key: string]: unknown };

export function toKubeSchema(schema: object): JsonSchema {
  return normalise(JSON.parse(JSON.stringify(schema)) as JsonSchema);
}

function normalise(node: JsonSchema): JsonSchema {
  const literals = literalUnion(node);
  if (literals) {
    const { anyOf: _anyOf, ...rest } = node;
    return { ...rest, type: literals.type, enum: literals.values };
  }
  if ("const" in node) {
    const { const: value, ...rest } = node;
    return { ...rest, enum: [value] };
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) out[key] = normaliseChild(key, value);
  return out;
}

function normaliseChild(key: string, value: unknown): unknown {
  if (key === "properties" && isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([name, child]) => [name, normalise(child as JsonSchema)]),
    );
  }
  if ((key === "items" || key === "additionalProperties" || key === "not") && isObject(value)) {
    return normalise(value);
  }
  if ((key === "anyOf" || key === "allOf" || key === "oneOf") && Array.isArray(value)) {
    return value.map((child) => normalise(child as JsonSchema));
  }
  return value;
}

/** `anyOf` of `const` branches of one type: the shape Type.Union of Type.Literal produces. */
function literalUnion(node: JsonSchema): { type: string; values: unknown[] } | undefined {
  const branches = node.anyOf;
  if (!Array.isArray(branches) || branches.length === 0) return undefined;
  const types = new Set(branches.map((branch) => (isObject(branch) ? branch.type : undefined)));
  if (!branches.every((branch) => isObject(branch) && "const" in branch) || types.size !== 1)
    return undefined;
  const [type] = types;
  return typeof type === "string"
    ? { type, values: branches.map((branch) => (branch as JsonSchema).const) }
    : undefined;
}

/**
 * The schema ajv checks manifests against: the same schema, with unknown
 * fields rejected (like `kubectl --validate=strict`) wherever the schema
 * lists properties and does not preserve unknown fields.
 */
export function toStrictSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties" && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, toStrictSchema(child as JsonSchema)]),
      );
    } else if ((key === "items" || key === "additionalProperties") && isObject(value)) {
      out[key] = toStrictSchema(value);
    } else if ((key === "anyOf" || key === "allOf" || key === "oneOf") && Array.isArray(value)) {
      out[key] = value.map((child) => toStrictSchema(child as JsonSchema));
    } else {
      out[key] = value;
    }
  }
  const open = schema["x-kubernetes-preserve-unknown-fields"] === true || "additionalProperties" in schema;
  if (isObject(schema.properties) && !open) out.additionalProperties = false;
  return out;
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
