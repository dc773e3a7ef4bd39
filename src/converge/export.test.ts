import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleAwsModel } from "../../stacks/example-models.js";
import { EXPORT_PLAN_FILE, writeClusterExport } from "./export.js";

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "cf-export-unit-"));
});
afterAll(() => rm(out, { recursive: true, force: true }));

const model = exampleAwsModel({ namespace: "team-a", name: "prod", machines: [{ name: "m1" }] });
const stack = { json: '{"resource":{}}\n', summary: "aws: 1 instance" };

describe("writeClusterExport", () => {
  it("writes the configuration bytes and a README, and no plan summary without a plan (synth)", async () => {
    const config = await writeClusterExport(join(out, "synth"), { model, stack });
    expect(config).toBe(join(out, "synth/team-a/prod/cdk.tf.json"));
    expect(await readFile(config, "utf8")).toBe(stack.json);
    expect((await readdir(join(out, "synth/team-a/prod"))).sort()).toEqual(["README.md", "cdk.tf.json"]);
    expect(await readFile(join(out, "synth/team-a/prod/README.md"), "utf8")).toContain(
      "# Cluster team-a/prod",
    );
  });

  it("adds the plan summary, naming the cluster and the configuration it is about (controller)", async () => {
    const plan = {
      id: "0123456789abcdef",
      configHash: "abc",
      generatedAt: "2026-01-01T00:00:00.000Z",
      policy: "plan-only",
      action: "none",
      hasChanges: true,
      add: 1,
      change: 0,
      destroy: 0,
      replace: 0,
      import: 0,
      changes: [{ address: "aws_instance.machine_m1", action: "create" }],
    };
    await writeClusterExport(join(out, "controller"), { model, stack, plan });
    const dir = join(out, "controller/team-a/prod");
    const written = JSON.parse(await readFile(join(dir, EXPORT_PLAN_FILE), "utf8"));
    expect(written).toEqual({ formatVersion: 1, namespace: "team-a", name: "prod", ...plan });
    // Replaced whole: no temporary files left behind.
    expect((await readdir(dir)).sort()).toEqual(["README.md", "cdk.tf.json", EXPORT_PLAN_FILE].sort());
  });
});
