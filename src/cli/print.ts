import { stringify } from "yaml";

export type OutputFormat = "yaml" | "json";

/** Objects as kubectl prints them: a YAML stream or a JSON List. */
export function formatObjects(objects: readonly unknown[], format: OutputFormat): string {
  if (format === "json") {
    return `${JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }, null, 2)}\n`;
  }
  return objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
}

export function planLine(summary: { add: number; change: number; destroy: number; replace: number }): string {
  const replace = summary.replace > 0 ? ` (${summary.replace} replaced)` : "";
  return `${summary.add} to add, ${summary.change} to change, ${summary.destroy} to destroy${replace}`;
}
