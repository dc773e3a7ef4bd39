import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TerraformWorkspace } from "./workspace.js";

// A stand-in binary that logs its arguments and renders an empty plan.
const FAKE_TERRAFORM = `#!/bin/sh
echo "$*" >> "$FAKE_LOG"
case "$2" in
  -json) echo '{"format_version":"1.2","resource_changes":[],"resource_drift":[]}' ;;
  *) echo "No changes." ;;
esac
`;

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("showPlan", () => {
  it("runs `show -json` once per plan file, however many readers ask for it", async () => {
    dir = await mkdtemp(join(tmpdir(), "cf-show-cache-"));
    const binary = join(dir, "terraform");
    const log = join(dir, "calls.log");
    await writeFile(binary, FAKE_TERRAFORM);
    await chmod(binary, 0o755);
    const workspace = new TerraformWorkspace({
      dir: join(dir, "work"),
      binary,
      env: { PATH: process.env.PATH ?? "", FAKE_LOG: log },
      providerMirror: false,
    });
    const first = await workspace.showPlan("a.tfplan", { json: true, text: false });
    const both = await workspace.showPlan("a.tfplan", { json: true, text: true });
    await workspace.showPlan("b.tfplan", { json: true, text: false });
    expect(both.json).toEqual(first.json);
    expect(both.text).toContain("No changes.");
    const calls = (await readFile(log, "utf8")).trim().split("\n");
    expect(calls.map((c) => c.replace(join(dir ?? "", "work/"), ""))).toEqual([
      "show -json a.tfplan",
      "show -no-color a.tfplan",
      "show -json b.tfplan",
    ]);
  });
});
