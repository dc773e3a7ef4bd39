import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { sandboxAwsEnv } from "../src/sandbox/moto.js";
import { DESTROY_GUARD_FILE } from "../src/terraform/direct-apply.js";
import type { RunnerEvent, TerraformEvent } from "../src/terraform/types.js";
import { TerraformWorkspace } from "../src/terraform/workspace.js";
import { ref, sandboxAwsConfig } from "./helpers/terraform-config.js";

// The one-run apply (plan and apply in one `apply -auto-approve`) against the
// real Terraform, its AWS provider and moto: what it applies, and that a plan
// that would destroy or replace anything changes nothing. A VPC and a subnet
// only (no instances): seconds per run.

const endpoint = inject("awsEndpoint");
const providerMirror = inject("providerMirror");
const binary = inject("terraformBin");
const suite = `one-run-${process.pid}`;

function config(subnetCidr: string, owner: string) {
  return {
    ...sandboxAwsConfig(endpoint),
    resource: {
      aws_vpc: { main: { cidr_block: "10.43.0.0/16", tags: { suite, Owner: owner } } },
      aws_subnet: {
        a: {
          vpc_id: ref("aws_vpc.main.id"),
          cidr_block: subnetCidr,
          tags: { suite },
          // The guard's override must keep the configuration's own lifecycle arguments.
          lifecycle: { ignore_changes: ["tags"] },
        },
      },
    },
    output: { subnet_id: { value: ref("aws_subnet.a.id") } },
  };
}

const events: TerraformEvent[] = [];
let workspace: TerraformWorkspace;

const runsOf = (from: number) =>
  events.slice(from).filter((e): e is Extract<RunnerEvent, { type: "run_end" }> => e.type === "run_end");

beforeAll(async () => {
  workspace = new TerraformWorkspace({
    dir: await mkdtemp(join(tmpdir(), "cf-one-run-")),
    binary,
    env: { ...process.env, ...sandboxAwsEnv(endpoint) },
    providerMirror,
    onEvent: (event) => events.push(event),
  });
});

describe("one-run apply (apply -auto-approve with the destroy guard)", () => {
  it("creates in one apply process: the plan's summary and the outputs come from its stream", async () => {
    await workspace.writeConfig(config("10.43.1.0/24", "team-a"));
    const from = events.length;
    const result = await workspace.applyDirect({ expectedChanges: 2 });
    expect(result.kind).toBe("applied");
    if (result.kind !== "applied") return;
    expect(result.plan).toMatchObject({ add: 2, change: 0, destroy: 0, hasChanges: true });
    expect(result.plan.changes.map((c) => `${c.address} ${c.action}`).sort()).toEqual([
      "aws_subnet.a create",
      "aws_vpc.main create",
    ]);
    expect(result.apply.applied).toMatchObject({ add: 2, change: 0, destroy: 0 });
    expect(result.apply.outputs.subnet_id?.value).toMatch(/^subnet-/);
    expect(runsOf(from).map((r) => `${r.operation} ${r.result}`)).toEqual([
      "version success",
      "init success",
      "apply success",
    ]);
    expect(existsSync(join(workspace.dir, DESTROY_GUARD_FILE))).toBe(false);
  });

  it("applies an in-place update; ignore_changes still holds under the guard's override", async () => {
    // Tags of the subnet are ignored by its lifecycle; the VPC's Owner tag changes in place.
    const next = config("10.43.1.0/24", "team-b");
    next.resource.aws_subnet.a.tags = { suite: "renamed" };
    await workspace.writeConfig(next);
    const result = await workspace.applyDirect();
    expect(result.kind).toBe("applied");
    if (result.kind !== "applied") return;
    expect(result.plan.changes.map((c) => `${c.address} ${c.action}`)).toEqual(["aws_vpc.main update"]);
    expect(result.apply.applied).toMatchObject({ add: 0, change: 1, destroy: 0 });
  });

  it("refuses a replacement before changing anything; the state and the guard file are left as they were", async () => {
    const stateBefore = await readFile(join(workspace.dir, "terraform.tfstate"), "utf8");
    // A new CIDR forces the subnet's replacement.
    await workspace.writeConfig(config("10.43.2.0/24", "team-b"));
    const from = events.length;
    const result = await workspace.applyDirect();
    expect(result).toMatchObject({ kind: "refused", wouldDestroy: ["aws_subnet.a"] });
    expect(runsOf(from).map((r) => `${r.operation} ${r.result}`)).toEqual(["apply refused"]);
    expect(events.slice(from).some((e) => e.type === "apply_start")).toBe(false);
    expect(await readFile(join(workspace.dir, "terraform.tfstate"), "utf8")).toBe(stateBefore);
    expect(existsSync(join(workspace.dir, DESTROY_GUARD_FILE))).toBe(false);
  });

  it("fails as a real error (not a refusal) when Terraform fails for another reason", async () => {
    const broken = config("10.43.1.0/24", "team-b") as { resource: Record<string, unknown> };
    broken.resource.aws_subnet = { a: { vpc_id: ref("aws_vpc.missing.id"), cidr_block: "10.43.1.0/24" } };
    await workspace.writeConfig(broken);
    await expect(workspace.applyDirect()).rejects.toThrow(/aws_vpc\.missing|undeclared resource/i);
    expect(existsSync(join(workspace.dir, DESTROY_GUARD_FILE))).toBe(false);
  });
});
