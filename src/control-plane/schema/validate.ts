/**
 * Validation of a custom resource against its structural schema. Field paths
 * in causes use the apiserver's notation (`spec.replicas`, `spec.items[0].name`).
 */
import type { StatusCause } from "../api-error.js";
import { matchesPattern } from "./pattern.js";
import type { JsonSchema } from "./types.js";

export function validateValue(value: unknown, schema: JsonSchema, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  check(value, schema, path, causes);
  return causes;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(value: unknown, schema: JsonSchema): boolean {
  if (schema["x-kubernetes-int-or-string"]) return typeof value === "string" || Number.isInteger(value);
  if (!schema.type) return true;
  const actual = typeOf(value);
  if (schema.type === "number") return actual === "number" || actual === "integer";
  return actual === schema.type;
}

function check(value: unknown, schema: JsonSchema, path: string, causes: StatusCause[]): void {
  const field = path || "<root>";
  if (value === null) {
    if (!schema.nullable && schema.type) {
      causes.push({
        reason: "FieldValueTypeInvalid",
        field,
        message: `Invalid value: "null": ${field} in body must be of type ${schema.type}: "null"`,
      });
    }
    return;
  }
  if (!typeMatches(value, schema)) {
    const expected = schema["x-kubernetes-int-or-string"] ? "integer or string" : schema.type;
    causes.push({
      reason: "FieldValueTypeInvalid",
      field,
      message: `Invalid value: "${typeOf(value)}": ${field} in body must be of type ${expected}: "${typeOf(value)}"`,
    });
    return;
  }
  checkScalar(value, schema, field, causes);
  if (Array.isArray(value)) checkArray(value, schema, path, causes);
  else if (typeof value === "object") checkObject(value as Record<string, unknown>, schema, path, causes);
  for (const sub of schema.allOf ?? []) check(value, sub, path, causes);
  if (schema.anyOf && !schema.anyOf.some((sub) => validateValue(value, sub, path).length === 0)) {
    causes.push({
      field,
      message: `Invalid value: ${display(value)}: ${field} in body must match at least one schema in anyOf`,
    });
  }
  if (
    schema.oneOf &&
    schema.oneOf.filter((sub) => validateValue(value, sub, path).length === 0).length !== 1
  ) {
    causes.push({
      field,
      message: `Invalid value: ${display(value)}: ${field} in body must match exactly one schema in oneOf`,
    });
  }
  if (schema.not && validateValue(value, schema.not, path).length === 0) {
    causes.push({
      field,
      message: `Invalid value: ${display(value)}: ${field} in body must not match the schema in not`,
    });
  }
}

function display(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}

function checkScalar(value: unknown, schema: JsonSchema, field: string, causes: StatusCause[]): void {
  if (schema.enum && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    const allowed = schema.enum.map((v) => JSON.stringify(v)).join(", ");
    causes.push({
      reason: "FieldValueNotSupported",
      field,
      message: `Unsupported value: ${display(value)}: supported values: ${allowed}`,
    });
  }
  if (typeof value === "number") {
    if (
      schema.minimum !== undefined &&
      (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)
    ) {
      causes.push({
        field,
        message: `Invalid value: ${value}: ${field} in body should be greater than or equal to ${schema.minimum}`,
      });
    }
    if (
      schema.maximum !== undefined &&
      (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)
    ) {
      causes.push({
        field,
        message: `Invalid value: ${value}: ${field} in body should be less than or equal to ${schema.maximum}`,
      });
    }
    if (schema.multipleOf && value % schema.multipleOf !== 0) {
      causes.push({
        field,
        message: `Invalid value: ${value}: ${field} in body should be a multiple of ${schema.multipleOf}`,
      });
    }
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      causes.push({
        field,
        message: `Invalid value: "${value}": ${field} in body should be at least ${schema.minLength} chars long`,
      });
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      causes.push({
        reason: "FieldValueTooLong",
        field,
        message: `Too long: may not be longer than ${schema.maxLength}`,
      });
    }
    if (schema.pattern !== undefined && !matchesPattern(schema.pattern, value)) {
      causes.push({
        field,
        message: `Invalid value: "${value}": ${field} in body should match '${schema.pattern}'`,
      });
    }
  }
}

function checkArray(value: unknown[], schema: JsonSchema, path: string, causes: StatusCause[]): void {
  const field = path || "<root>";
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    causes.push({
      field,
      message: `Invalid value: ${value.length}: ${field} in body should have at least ${schema.minItems} items`,
    });
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    causes.push({
      reason: "FieldValueTooMany",
      field,
      message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`,
    });
  }
  if (schema.items) {
    value.forEach((item, index) => {
      check(item, schema.items as JsonSchema, `${path}[${index}]`, causes);
    });
  }
}

function checkObject(
  value: Record<string, unknown>,
  schema: JsonSchema,
  path: string,
  causes: StatusCause[],
): void {
  const prefix = path ? `${path}.` : "";
  for (const name of schema.required ?? []) {
    if (value[name] === undefined) {
      causes.push({ reason: "FieldValueRequired", field: `${prefix}${name}`, message: "Required value" });
    }
  }
  for (const [name, child] of Object.entries(value)) {
    const childSchema = schema.properties?.[name];
    if (childSchema) check(child, childSchema, `${prefix}${name}`, causes);
    else if (typeof schema.additionalProperties === "object") {
      check(child, schema.additionalProperties, `${prefix}${name}`, causes);
    }
  }
  const count = Object.keys(value).length;
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    causes.push({
      field: path || "<root>",
      message: `Invalid value: ${count}: ${path} in body should have at least ${schema.minProperties} properties`,
    });
  }
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    causes.push({
      field: path || "<root>",
      message: `Too many: ${count}: must have at most ${schema.maxProperties} items`,
    });
  }
}
