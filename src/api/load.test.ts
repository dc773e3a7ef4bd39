import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatFieldError } from "./field-error.js";
import { loadManifests, parseManifests } from "./load.js";
import { sourceOf } from "./source.js";

describe("parseManifests", () => {
  const messagesOf = (text: string) => parseManifests(text, "f.yaml").errors.map((e) => formatFieldError(e));

  it.each([
    [
      "a self-referencing alias",
      "a: &a [*a]\n",
      "f.yaml#1: not plain data at a[0]: an alias refers to a node that contains it (a cycle)",
    ],
    [
      "an unresolved alias",
      "a: *nope\n",
      "f.yaml#1: YAML error: Unresolved alias (the anchor must be set before the alias): nope",
    ],
    [
      "a billion-laughs document",
      `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [${"*a,".repeat(9)}]\nc: &c [${"*b,".repeat(9)}]\nd: [${"*c,".repeat(9)}]\n`,
      "f.yaml#1: YAML error: Excessive alias count indicates a resource exhaustion attack",
    ],
    [
      "an infinite number",
      "replicas: .inf\n",
      "f.yaml#1: not plain data at replicas: a number must be finite (.inf and .nan are not JSON)",
    ],
    [
      "a nesting too deep for the parser",
      `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
      "f.yaml: YAML nested deeper than 500 levels",
    ],
  ])("turns %s into an error naming the file", (_, text, expected) => {
    const messages = messagesOf(text);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(expected);
  });

  it("keeps YAML 1.1 tags such as !!binary and !!timestamp plain strings", () => {
    const [document] = parseManifests("a: !!binary eHl6\nb: !!timestamp 2001-12-14\n", "f.yaml").documents;
    expect(document?.object).toEqual({ a: "eHl6", b: "2001-12-14" });
  });

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
  it("refuses a file that is not valid UTF-8 instead of replacing its bytes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clusterform-load-"));
    writeFileSync(join(dir, "bad.yaml"), Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    const result = await loadManifests([dir]);
    expect(result.documents).toEqual([]);
    expect(result.errors.map(formatFieldError)).toEqual([
      `${join(dir, "bad.yaml")}: not valid UTF-8 text: save the file as UTF-8`,
    ]);
  });

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
