/**
 * The bad-input corpus (fixtures/invalid) through the real `clusterform synth`:
 * exit 2, every expected error (object and field) printed, nothing written,
 * no stack trace. A CLI process costs seconds on a busy machine, so most files
 * share a process: each gets a namespace of its own (t<n>), which keeps its
 * objects and errors apart from the other files' and its expected lines
 * attributable (default/ becomes t<n>/). A file that sets a namespace of its
 * own, or cannot take one, joins a batch as its only such file.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import pLimit from "p-limit";
import { afterAll, describe, expect, it } from "vitest";
import { isMap, parseAllDocuments, stringify } from "yaml";
import { REPO_ROOT, runCli } from "./helpers/cli.js";

const dir = join(REPO_ROOT, "fixtures", "invalid");
const work = mkdtempSync(join(tmpdir(), "cf-corpus-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Prepared {
  file: string;
  /** The file given to the CLI (a namespaced copy, or the fixture itself). */
  input: string;
  expected: string[];
}

function expectedLines(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("# expect: "))
    .map((line) => line.slice("# expect: ".length));
}

/** A copy of the fixture with every document in namespace t<index>, or undefined when it cannot take one. */
function namespaced(file: string, index: number): Prepared | undefined {
  const text = readFileSync(join(dir, file), "utf8");
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents) || documents.some((d) => d.errors.length > 0)) return undefined;
  const objects = documents.map((d) => d.toJS() as unknown);
  const metadataOf = (object: unknown) => (object as { metadata?: unknown } | null)?.metadata;
  const isMapping = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  // An explicit namespace could meet another file's; unnamed objects are told apart by their source.
  if (
    objects.some((object) => isMapping(metadataOf(object)) && "namespace" in (metadataOf(object) as object))
  )
    return undefined;
  if (documents.some((d) => !isMap(d.contents))) return undefined;
  const namespace = `t${index}`;
  for (const object of objects) {
    const metadata = metadataOf(object);
    if (isMapping(metadata)) metadata.namespace = namespace;
  }
  const input = join(work, `${namespace}-${file}`);
  writeFileSync(input, objects.map((object) => stringify(object, { lineWidth: 0 })).join("---\n"));
  const original = relative(REPO_ROOT, join(dir, file));
  const expected = expectedLines(text).map((line) =>
    line.replaceAll("default/", `${namespace}/`).replaceAll(original, input),
  );
  return { file, input, expected };
}

const files = readdirSync(dir)
  .filter((name) => name.endsWith(".yaml"))
  .sort();
const prepared = files.map((file, index) => namespaced(file, index));
const shared = prepared.filter((entry): entry is Prepared => entry !== undefined);
const alone: Prepared[] = files
  .filter((_, index) => prepared[index] === undefined)
  .map((file) => ({
    file,
    input: relative(REPO_ROOT, join(dir, file)),
    expected: expectedLines(readFileSync(join(dir, file), "utf8")),
  }));
// Each batch takes at most one file that keeps its own namespace (or has none to set), so those never meet.
const BATCHES = Math.max(4, alone.length);
const batches = Array.from({ length: BATCHES }, (_, b) => [
  ...shared.filter((_, index) => index % BATCHES === b),
  ...(alone[b] ? [alone[b]] : []),
]);

/** The error lines of a failed synth: `  <Kind ns/name>: <path>: <message>`. */
function errorLines(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((line) => line.startsWith("  "))
    .map((line) => line.slice(2));
}

async function synth(entries: Prepared[]) {
  const out = mkdtempSync(join(work, "out-"));
  rmSync(out, { recursive: true });
  const result = await runCli(["synth", "-o", out, ...entries.flatMap((entry) => ["-f", entry.input])]);
  const wrote = readdirSync(work).includes(out.slice(work.length + 1));
  return { ...result, wrote };
}

describe("the invalid corpus through clusterform synth", () => {
  it("has the whole corpus, most of it in shared processes", () => {
    expect(files.length).toBeGreaterThanOrEqual(150);
    expect(alone.map((entry) => entry.file).length, alone.map((entry) => entry.file).join(", ")).toBeLessThan(
      12,
    );
  });

  it("exits 2 with every expected error of every file, writing nothing and printing no stack trace", async () => {
    const limit = pLimit(2);
    const runs = await Promise.all(
      batches.map((batch) => limit(async () => ({ entries: batch, result: await synth(batch) }))),
    );
    for (const { entries, result } of runs) {
      const names = entries.map((entry) => entry.file).join(", ");
      expect(result.exitCode, names).toBe(2);
      expect(result.wrote, names).toBe(false);
      expect(result.stderr, names).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n|TypeError|RangeError|ReferenceError/);
      const printed = errorLines(result.stderr).sort();
      expect(printed, names).toEqual(entries.flatMap((entry) => entry.expected).sort());
    }
  });

  it("accepts the seed's manifests as written (fixtures/seed): a MachineSet and a MachineDeployment of one name", async () => {
    const out = join(work, "seed-out");
    const result = await runCli(["synth", "-o", out, "-f", "fixtures/seed"]);
    expect(result.exitCode, result.stderr).toBe(0);
    const stack = JSON.parse(readFileSync(join(out, "default", "workload-cluster-1", "cdk.tf.json"), "utf8"));
    expect(Object.keys(stack.resource.aws_instance).sort()).toEqual([
      "machine_workload-cluster-1-controlplane-1",
      "machine_workload-cluster-1-machineset-1-0",
      "machine_workload-cluster-1-machineset-1-1",
      "machine_workload-cluster-1-machineset-1-2",
      "machine_workload-cluster-1-machineset-1-md-0",
      "machine_workload-cluster-1-machineset-1-md-1",
      "machine_workload-cluster-1-machineset-1-md-2",
    ]);
  });
});
