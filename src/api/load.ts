import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { LineCounter, parseAllDocuments } from "yaml";
import { maxNestingDepth, yamlDepthBound } from "../util/nesting.js";
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
      const text = decodeUtf8(await readFile(file));
      if (text === undefined) {
        result.errors.push({
          kind: "",
          path: "",
          message: "not valid UTF-8 text: save the file as UTF-8",
          source: file,
        });
        continue;
      }
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

/** The file's text, or undefined when it is not valid UTF-8 (never silently replaced). */
function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Parses multi-document YAML (or JSON) text; `source` names it in errors.
 * Aliases are bounded (a billion-laughs document is refused), YAML 1.1 tags
 * such as !!binary stay plain strings, and every document must be plain
 * JSON data: no cycles, no non-finite numbers. Nothing from the YAML library
 * escapes as an exception.
 */
export function parseManifests(text: string, source: string): LoadResult {
  const lineCounter = new LineCounter();
  const result: LoadResult = { documents: [], errors: [] };
  const fail = (docSource: string, message: string) =>
    result.errors.push({ kind: "", path: "", message, source: docSource });
  if (yamlDepthBound(text) > maxNestingDepth) {
    // Refused before parsing: the YAML library takes seconds on such text and can abort the process.
    fail(
      source,
      `YAML nested deeper than ${maxNestingDepth} levels (manifests nest a few dozen): refused unread`,
    );
    return result;
  }
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, resolveKnownTags: false });
  } catch (error) {
    fail(source, `YAML could not be read: ${firstLine(messageOf(error))}`);
    return result;
  }
  const list = Array.isArray(documents) ? documents : [documents];
  for (const [index, document] of list.entries()) {
    const docSource = `${source}#${index + 1}`;
    const [syntax] = document.errors;
    if (syntax) {
      const at = lineCounter.linePos(syntax.pos[0]);
      fail(docSource, `YAML syntax error at line ${at.line}, column ${at.col}: ${firstLine(syntax.message)}`);
      continue;
    }
    let object: unknown;
    try {
      object = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      fail(docSource, `YAML error: ${firstLine(messageOf(error))}`);
      continue;
    }
    const notJson = findNonJson(object, "");
    if (notJson) {
      fail(docSource, `not plain data at ${notJson.path || "the top level"}: ${notJson.message}`);
      continue;
    }
    if (object === null || object === undefined) continue;
    result.documents.push(...flattenList(object, docSource));
  }
  return result;
}

/** How many alias expansions one document may make: plenty for hand-written YAML, nothing like a billion laughs. */
const MAX_ALIAS_COUNT = 100;

/** The first value in `value` that JSON (and so the API server) cannot hold. */
function findNonJson(
  value: unknown,
  path: string,
  ancestors: Set<object> = new Set(),
): { path: string; message: string } | undefined {
  if (typeof value === "number" && !Number.isFinite(value))
    return { path, message: "a number must be finite (.inf and .nan are not JSON)" };
  if (typeof value === "bigint") return { path, message: "a number too large for JSON" };
  if (typeof value !== "object" || value === null) return undefined;
  if (ancestors.has(value)) return { path, message: "an alias refers to a node that contains it (a cycle)" };
  if (
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) !== Object.prototype &&
    Object.getPrototypeOf(value) !== null
  )
    return { path, message: "only mappings, lists, strings, numbers, booleans and null are allowed" };
  ancestors.add(value);
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [`${path}[${index}]`, item])
    : Object.entries(value).map(([key, item]) => [path ? `${path}.${key}` : key, item]);
  for (const [childPath, child] of entries) {
    const found = findNonJson(child, childPath, ancestors);
    if (found) return found;
  }
  ancestors.delete(value);
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
