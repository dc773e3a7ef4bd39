import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { LineCounter, parseAllDocuments } from "yaml";
import type { FieldError } from "./field-error.js";
import { isRecord } from "./field-error.js";
import { rememberSource } from "./source.js";

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

export interface ManifestDocument {
  /** "file.yaml#2": the file and the 1-based index of the document within it. */
  source: string;
  object: unknown;
}

export interface LoadResult {
  documents: ManifestDocument[];
  /** Unreadable files and YAML syntax errors, naming the file and line. */
  errors: FieldError[];
}

/**
 * Reads manifests from files and directories (recursively, in sorted order,
 * .yaml/.yml/.json). Each document remembers its source; syntax errors become
 * errors, never exceptions.
 */
export async function loadManifests(paths: readonly string[]): Promise<LoadResult> {
  const result: LoadResult = { documents: [], errors: [] };
  for (const path of paths) {
    const files = await manifestFiles(path, result.errors);
    for (const file of files) {
      const text = await readFile(file, "utf8");
      const parsed = parseManifests(text, file);
      result.documents.push(...parsed.documents);
      result.errors.push(...parsed.errors);
    }
  }
  return result;
}

async function manifestFiles(path: string, errors: FieldError[]): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) {
    errors.push({ kind: "", path: "", message: "no such file or directory", source: path });
    return [];
  }
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const names = entries.map((entry) => entry.name).sort();
  const files: string[] = [];
  for (const name of names) {
    const entry = entries.find((candidate) => candidate.name === name);
    const child = join(path, name);
    if (entry?.isDirectory()) files.push(...(await manifestFiles(child, errors)));
    else if (MANIFEST_FILE.test(name)) files.push(child);
  }
  return files;
}

/** Parses multi-document YAML (or JSON) text; `source` names it in errors. */
export function parseManifests(text: string, source: string): LoadResult {
  const lineCounter = new LineCounter();
  const result: LoadResult = { documents: [], errors: [] };
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [documents];
  for (const [index, document] of list.entries()) {
    const docSource = `${source}#${index + 1}`;
    const [syntax] = document.errors;
    if (syntax) {
      const at = lineCounter.linePos(syntax.pos[0]);
      const message = `YAML syntax error at line ${at.line}, column ${at.col}: ${firstLine(syntax.message)}`;
      result.errors.push({ kind: "", path: "", message, source: docSource });
      continue;
    }
    const object: unknown = document.toJS({ maxAliasCount: 100 });
    if (object === null || object === undefined) continue;
    result.documents.push(...flattenList(object, docSource));
  }
  return result;
}

/** A `kind: List` (what `kubectl get -o yaml` prints) contributes its items. */
function flattenList(object: unknown, source: string): ManifestDocument[] {
  if (isRecord(object) && object.kind === "List" && Array.isArray(object.items)) {
    return object.items.flatMap((item, index) => flattenList(item, `${source}.items[${index}]`));
  }
  rememberSource(object, source);
  return [{ source, object }];
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
