import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleAwsModel } from "../../../stacks/example-models.js";
import { summaryOf } from "../../plans/test-summary.js";
import type { PlanResult } from "../../terraform/types.js";
import { exportPlan } from "./export-plan.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cf-export-plan-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const model = exampleAwsModel({ name: "piped", machines: [{ name: "m1" }] });
const stack = { json: "{}\n", configHash: "h1", summary: "aws: 1 instance", resources: [], warnings: [] };
const plan = (changes: PlanResult["summary"]["changes"]): PlanResult => ({
  planFile: "/x/plan.tfplan",
  summary: summaryOf(changes),
  diagnostics: [],
  configHash: "h1",
  run: { durationMs: 1 },
});
const about = {
  id: "0123456789abcdef",
  generatedAt: "2026-01-01T00:00:00Z",
  policy: "plan-only",
  action: "none",
};
const converge = { stateDir: "/unused", awsEndpoint: "http://127.0.0.1:5000" };

describe("exportPlan", () => {
  it("writes nothing for a drift check that found nothing (the export is current)", async () => {
    const out = join(dir, "drift");
    await exportPlan(out, converge, model, stack, plan([]), { ...about, configUnchanged: true });
    expect(existsSync(join(out, "default/piped"))).toBe(false);
  });

  it("writes a new configuration's plan with its counts, the config hash and the endpoint in the README", async () => {
    const out = join(dir, "new");
    const created = plan([{ address: "aws_instance.machine_m1", action: "create" }]);
    await exportPlan(out, converge, model, stack, created, { ...about, configUnchanged: false });
    const summary = JSON.parse(await readFile(join(out, "default/piped/clusterform-plan.json"), "utf8"));
    expect(summary).toMatchObject({ id: about.id, configHash: "h1", add: 1, policy: "plan-only" });
    expect(summary).not.toHaveProperty("configUnchanged");
    expect(await readFile(join(out, "default/piped/README.md"), "utf8")).toContain("http://127.0.0.1:5000");
  });
});
