import type { Redactor } from "./redact.js";
import type { OutputValue } from "./types.js";

/** Parses `terraform output -json`: `{ name: { sensitive, type, value } }`. */
export function parseOutputJson(text: string): Record<string, OutputValue> {
  const raw = JSON.parse(text || "{}") as Record<
    string,
    { sensitive?: boolean; type?: unknown; value?: unknown }
  >;
  const outputs: Record<string, OutputValue> = {};
  for (const [name, output] of Object.entries(raw)) {
    outputs[name] = { value: output.value, sensitive: output.sensitive === true, type: output.type };
  }
  return outputs;
}

/** Once read, a sensitive output's strings are secrets for everything the runner prints later. */
export function registerSensitiveOutputs(outputs: Record<string, OutputValue>, redactor: Redactor): void {
  for (const output of Object.values(outputs)) {
    if (output.sensitive) for (const text of stringsIn(output.value)) redactor.add(text);
  }
}

function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}
