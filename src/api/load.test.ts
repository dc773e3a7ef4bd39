import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatFieldError } from "./field-error.js";
import { loadManifests, parseManifests } from "./load.js";
import { sourceOf } from "./source.js";

describe("parseManifests", () => {
  it("splits multi-document YAML, skips empty documents and remembers each source", () => {
    const result = parseManifests("kind: A\n---\n---\nkind: B\n", "f.yaml");
    expect(result.documents.map((d) => [d.source, (d.object as { kind: string }).kind])).toEqual([
      ["f.yaml#1", "A"],
      ["f.yaml#3", "B"],
    ]);
    expect(sourceOf(result.documents[1]?.object)).toBe("f.yaml#3");
  });

  it("turns a syntax error into an error naming the file, document and line, and keeps the other documents", () => {
    const result = parseManifests("kind: A\n---\nkind: [B\nx: 1\n---\nkind: C\n", "f.yaml");
    expect(result.documents.map((d) => d.source)).toEqual(["f.yaml#1", "f.yaml#3"]);
    expect(result.errors).toHaveLength(1);
    expect(formatFieldError(result.errors[0] as never)).toMatch(
      /^f\.yaml#2: YAML syntax error at line 4, column \d+: /,
    );
  });

  it("reads JSON, and the items of a kind: List", () => {
    const result = parseManifests(
      '{"kind": "List", "apiVersion": "v1", "items": [{"kind": "A"}, {"kind": "B"}]}',
      "l.json",
    );
    expect(result.documents.map((d) => d.source)).toEqual(["l.json#1.items[0]", "l.json#1.items[1]"]);
  });
});

describe("loadManifests", () => {
  it("reads directories recursively in sorted order, only manifest files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-load-"));
    mkdirSync(join(dir, "a"));
    writeFileSync(join(dir, "b.yaml"), "kind: B\n");
    writeFileSync(join(dir, "a", "z.yml"), "kind: Z\n");
    writeFileSync(join(dir, "a", "c.json"), '{"kind": "C"}');
    writeFileSync(join(dir, "notes.txt"), "kind: Ignored\n");
    const result = await loadManifests([dir]);
    expect(result.errors).toEqual([]);
    expect(result.documents.map((d) => (d.object as { kind: string }).kind)).toEqual(["C", "Z", "B"]);
    expect(result.documents[0]?.source).toBe(join(dir, "a", "c.json#1"));
  });

  it("reports a path that does not exist", async () => {
    const result = await loadManifests(["/nonexistent/manifests"]);
    expect(result.errors.map(formatFieldError)).toEqual([
      "/nonexistent/manifests: no such file or directory",
    ]);
  });
});
