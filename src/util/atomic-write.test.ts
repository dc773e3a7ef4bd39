import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileAtomic, writeJsonAtomic } from "./atomic-write.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cf-atomic-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("writeFileAtomic", () => {
  it("replaces the file whole and leaves no temporary file behind", async () => {
    const file = join(dir, "a.txt");
    await writeFile(file, "old");
    await writeFileAtomic(file, "new");
    expect(await readFile(file, "utf8")).toBe("new");
    expect(await readdir(dir)).toEqual(["a.txt"]);
  });

  it("applies the requested mode (records may hold outputs)", async () => {
    const file = join(dir, "secret.json");
    await writeJsonAtomic(file, { b: 1 }, { mode: 0o600 });
    expect(await readFile(file, "utf8")).toBe('{\n  "b": 1\n}\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("fails with the file system's error and cleans up when the directory is missing", async () => {
    await expect(writeFileAtomic(join(dir, "missing", "x"), "t")).rejects.toThrow(/ENOENT/);
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
