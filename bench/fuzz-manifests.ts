// biome-ignore-all lint/suspicious/noTemplateCurlyInString: hostile Terraform syntax as plain values is part of the input.
/**
 * Fuzzing benchmark (not a test): mutated manifests through the whole file-mode
 * path (YAML parse -> validate -> expand -> model -> synthesize), with a fixed
 * seed and a time budget. Each case takes the seed's manifests
 * (fixtures/seed), changes one to three fields (delete, retype, hostile or
 * huge values, unknown keys), then sometimes damages the YAML text itself.
 * Prints cases run, rejections, crashes (must be 0), rejections that name no
 * field (must be 0), stacks that failed after validation passed (must be 0)
 * and the slowest case. Exits 1 when any of the three is not 0.
 *
 *   npm run bench:fuzz -- --seconds 60 --seed 14
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parseDocument, stringify } from "yaml";
import type { FieldError } from "../src/api/field-error.js";
import { parseManifests } from "../src/api/load.js";
import { InvalidConfigurationError } from "../src/errors.js";
import { modelsFromObjects } from "../src/model/from-manifests.js";
import { synthesizeStack } from "../stacks/index.js";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number`);
  return value;
}
const seconds = option("seconds", 30);
const seed = option("seed", 14);

const seedText = readFileSync(join(import.meta.dirname, "..", "fixtures", "seed", "manifests.yaml"), "utf8");
const baseDocs = seedText
  .split(/^---$/m)
  .map((text) => parseDocument(text).toJS() as Record<string, unknown>);

type Path = (string | number)[];
/** Every path into a document, so a mutation can land on any field of any kind. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [prefix];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}
const docPaths = baseDocs.map((doc) => pathsOf(doc).filter((path) => path.length > 0));

const hostile = fc.constantFrom(
  "${aws_instance.x.id}",
  "%{ if true }x%{ endif }",
  "${TfToken[TOKEN.1]}",
  "$${escaped}",
  "a\u0000b",
  "\u202e",
  "../../etc/passwd",
  "x".repeat(300),
  "",
  " ",
  "-",
  "1e12",
  "ami-",
  "10.0.0.0/33",
  "fd00::/64",
  "us-east-1a",
);
const scalar = fc.oneof(
  hostile,
  fc.string({ maxLength: 20 }),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(1e12, 2 ** 32, 100_000_000, -1, 1.5, Number.MAX_SAFE_INTEGER, 0),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }) },
);

type Mutation =
  | { op: "delete"; doc: number; path: number }
  | { op: "set"; doc: number; path: number; value: unknown }
  | { op: "add"; doc: number; path: number; key: string; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("delete" as const), doc: fc.nat(), path: fc.nat() }),
  fc.record({ op: fc.constant("set" as const), doc: fc.nat(), path: fc.nat(), value }),
  fc.record({
    op: fc.constant("add" as const),
    doc: fc.nat(),
    path: fc.nat(),
    key: fc.string({ maxLength: 10 }),
    value,
  }),
);
const textDamage = fc.option(
  fc.record({
    at: fc.nat(),
    text: fc.constantFrom("*a", "&a [*a]", "\t", ": :", "{", "---\n", "!!binary", "'", "\u0000"),
  }),
  { freq: 4 },
);
const caseArbitrary = fc.record({
  mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
  damage: textDamage,
});

function apply(docs: Record<string, unknown>[], m: Mutation): void {
  const d = m.doc % docs.length;
  const paths = docPaths[d] ?? [];
  const path = paths[m.path % paths.length] ?? [];
  let node: Record<string | number, unknown> | undefined = docs[d];
  for (const segment of path.slice(0, -1)) {
    const next: unknown = node?.[segment];
    node = typeof next === "object" && next !== null ? (next as Record<string | number, unknown>) : undefined;
  }
  const last = path[path.length - 1];
  if (!node || last === undefined) return;
  if (m.op === "delete") delete node[last];
  else if (m.op === "set") node[last] = m.value;
  else {
    const target = node[last];
    if (typeof target === "object" && target !== null && !Array.isArray(target))
      (target as Record<string, unknown>)[m.key] = m.value;
    else node[last] = { [m.key]: m.value };
  }
}

/** A rejection names a field when it has a path, or, for an error about the file itself, a source. */
const namesField = (error: FieldError) =>
  error.path !== "" || (error.kind === "" && (error.source ?? "") !== "");

const stats = { cases: 0, rejections: 0, accepted: 0, crashes: 0, unnamed: 0, lateFailures: 0, slowestMs: 0 };
let slowestInput = "";
const examples: string[] = [];

function runCase(input: { mutations: Mutation[]; damage: { at: number; text: string } | null }): boolean {
  const docs = structuredClone(baseDocs);
  for (const m of input.mutations) apply(docs, m);
  let text = docs.map((doc) => stringify(doc, { lineWidth: 0 })).join("---\n");
  if (input.damage) {
    const at = input.damage.at % (text.length + 1);
    text = text.slice(0, at) + input.damage.text + text.slice(at);
  }
  const started = performance.now();
  try {
    const loaded = parseManifests(text, "fuzz.yaml");
    const result = modelsFromObjects(
      loaded.documents.map((d) => d.object),
      loaded.errors,
    );
    if (result.allErrors.length) {
      stats.rejections++;
      const unnamed = result.allErrors.filter((error) => !namesField(error));
      if (unnamed.length) {
        stats.unnamed++;
        if (examples.length < 5) examples.push(`unnamed: ${JSON.stringify(unnamed[0])}`);
      }
    } else {
      stats.accepted++;
      for (const model of result.models) {
        try {
          synthesizeStack(model);
        } catch (error) {
          if (!(error instanceof InvalidConfigurationError)) throw error;
          stats.lateFailures++;
          if (examples.length < 5) examples.push(`failed after validation: ${error.message.slice(0, 300)}`);
        }
      }
    }
  } catch (error) {
    stats.crashes++;
    if (examples.length < 5)
      examples.push(`crash: ${error instanceof Error ? error.stack : String(error)}\n${text.slice(0, 400)}`);
  }
  const ms = performance.now() - started;
  stats.cases++;
  if (ms > stats.slowestMs) {
    stats.slowestMs = ms;
    slowestInput = JSON.stringify(input).slice(0, 300);
  }
  return true;
}

const startedAt = Date.now();
fc.check(fc.property(caseArbitrary, runCase), {
  seed,
  numRuns: Number.MAX_SAFE_INTEGER,
  interruptAfterTimeLimit: seconds * 1000,
  markInterruptAsFailure: false,
});
const elapsed = (Date.now() - startedAt) / 1000;
console.log(`fuzz-manifests: seed ${seed}, budget ${seconds} s, ran ${elapsed.toFixed(1)} s`);
console.log(`  cases run:                 ${stats.cases} (${(stats.cases / elapsed).toFixed(1)}/s)`);
console.log(`  rejected:                  ${stats.rejections}`);
console.log(`  accepted and synthesized:  ${stats.accepted}`);
console.log(`  crashes:                   ${stats.crashes}`);
console.log(`  rejections naming no field: ${stats.unnamed}`);
console.log(`  stacks failing after validation: ${stats.lateFailures}`);
console.log(`  slowest case:              ${stats.slowestMs.toFixed(1)} ms ${slowestInput}`);
for (const example of examples) console.log(`  ${example}`);
process.exitCode = stats.crashes + stats.unnamed + stats.lateFailures > 0 ? 1 : 0;
