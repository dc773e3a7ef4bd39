/**
 * The bad-input corpus against the embedded control plane with the real
 * kubectl. Every generated case says where an API server refuses it
 * (`# level:`, scripts/invalid-corpus.ts), and this test holds the
 * classification true: client, server and schema cases are refused by
 * `kubectl apply` with an error naming their file (and, for server and
 * schema cases, the field), controller cases are stored (the controller
 * reports them, through the same validation layer as file mode). One kubectl
 * per level keeps it quick; kubectl names the file of every refusal.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli.js";
import { startTestControlPlane, type TestControlPlane } from "../helpers/control-plane.js";

const dir = join(REPO_ROOT, "fixtures", "invalid");
const LEVELS = ["client", "server", "schema", "controller"] as const;
type Level = (typeof LEVELS)[number];

interface Case {
  file: string;
  level: Level;
  /** The field of the first expected error, as the corpus states it: its last segment... */
  leaf: string;
  /** ...or, as Kubernetes says for map entries (metadata.labels: Invalid value: ...), the map. */
  parent: string;
}

function readCase(file: string): Case {
  const lines = readFileSync(join(dir, file), "utf8").split("\n");
  const level = lines.find((line) => line.startsWith("# level: "))?.slice("# level: ".length) as Level;
  const expect = lines.find((line) => line.startsWith("# expect: ")) ?? "";
  // "# expect: Kind ns/name: path: message" -> the last segment of path.
  const path = expect.slice("# expect: ".length).split(": ")[1] ?? "";
  const leaf = path.match(/(?:\[([^\]]*)\]|\.?([A-Za-z0-9_-]+))$/);
  return {
    file,
    level,
    leaf: leaf?.[1] ?? leaf?.[2] ?? path,
    parent: leaf ? path.slice(0, path.length - leaf[0].length) : path,
  };
}

const cases = readdirSync(dir)
  .filter((name) => name.startsWith("corpus-") && name.endsWith(".yaml"))
  .sort()
  .map(readCase);

let cp: TestControlPlane;
const work = mkdtempSync(join(tmpdir(), "cf-corpus-kubectl-"));

beforeAll(async () => {
  cp = await startTestControlPlane();
});
afterAll(async () => {
  await cp?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Applies every case of a level at once; returns kubectl's result. */
async function applyLevel(level: Level) {
  const levelDir = join(work, level);
  mkdirSync(levelDir);
  for (const entry of cases.filter((c) => c.level === level))
    copyFileSync(join(dir, entry.file), join(levelDir, entry.file));
  return cp.kubectl(["apply", "--validate=strict", "-f", levelDir]);
}

/** kubectl's complaint about one file: every stderr line naming it. */
function complaintsAbout(stderr: string, file: string): string {
  return stderr
    .split("\n")
    .filter((line) => line.includes(file))
    .join("\n");
}

describe("the invalid corpus through kubectl apply", () => {
  it("classifies every generated case", () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    for (const entry of cases) expect(LEVELS, entry.file).toContain(entry.level);
  });

  it.each(["client", "server", "schema"] as const)(
    "refuses every %s-level case, naming its file and field",
    async (level) => {
      const result = await applyLevel(level);
      const refused = cases.filter((c) => c.level === level);
      expect(refused.length).toBeGreaterThan(0);
      expect(result.exitCode).not.toBe(0);
      const problems = refused.flatMap((entry) => {
        const complaint = complaintsAbout(result.stderr, entry.file);
        if (complaint === "") return [`${entry.file}: not refused`];
        if (level !== "client" && !complaint.includes(entry.leaf) && !complaint.includes(`${entry.parent}:`))
          return [`${entry.file}: does not name ${entry.leaf}: ${complaint}`];
        return [];
      });
      expect(problems).toEqual([]);
    },
  );

  it("stores every controller-level case: only the controller can tell", async () => {
    const result = await applyLevel("controller");
    const refused = cases.filter(
      (c) => c.level === "controller" && complaintsAbout(result.stderr, c.file) !== "",
    );
    expect(refused.map((c) => `${c.file}: ${complaintsAbout(result.stderr, c.file)}`)).toEqual([]);
    expect(result.exitCode).toBe(0);
  });
});
