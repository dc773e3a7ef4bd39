import { lstat, mkdtemp, readdir, readlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PrerequisiteError } from "../src/errors.js";
import { describeInstances } from "../src/sandbox/ec2.js";
import { sandboxAwsEnv } from "../src/sandbox/moto.js";
import { TerraformCancelledError, TerraformError } from "../src/terraform/errors.js";
import { groupAlive } from "../src/terraform/process.js";
import { REDACTED, Redactor } from "../src/terraform/redact.js";
import type { RunnerEvent, TerraformEvent } from "../src/terraform/types.js";
import { TerraformWorkspace } from "../src/terraform/workspace.js";
import { ref, sandboxAwsConfig } from "./helpers/terraform-config.js";

// The runner against the real Terraform, the real AWS provider from the
// mirror and moto. Terraform costs seconds of CPU per command, so the cases
// share one working directory and run in order: init, plan, apply, change,
// cancel, lock, destroy.

const endpoint = inject("awsEndpoint");
const providerMirror = inject("providerMirror");
const binary = inject("terraformBin");
const suite = `runner-${process.pid}`;
const TAG_SECRET = "hunter2-tag-secret";

function stackConfig(change: { subnetCidr: string; owner: string }) {
  return {
    ...sandboxAwsConfig(endpoint),
    resource: {
      aws_vpc: { main: { cidr_block: "10.42.0.0/16", tags: { suite, Owner: change.owner } } },
      aws_subnet: { a: { vpc_id: ref("aws_vpc.main.id"), cidr_block: change.subnetCidr } },
      aws_instance: {
        w1: {
          ami: "ami-12c6146b",
          instance_type: "t3.micro",
          subnet_id: ref("aws_subnet.a.id"),
          tags: { suite, Name: "w1" },
        },
      },
    },
    output: {
      instance_id: { value: ref("aws_instance.w1.id") },
      private_ip: { value: ref("aws_instance.w1.private_ip") },
      secret: { value: "s3cr3t-output-value", sensitive: true },
    },
  };
}

const events: TerraformEvent[] = [];
const cpu: Record<string, number[]> = {};
let workspace: TerraformWorkspace;
let env: NodeJS.ProcessEnv;

function workspaceAt(
  dir: string,
  options: Partial<ConstructorParameters<typeof TerraformWorkspace>[0]> = {},
) {
  return new TerraformWorkspace({
    dir,
    binary,
    env,
    providerMirror,
    redactor: Redactor.fromEnv(env, [TAG_SECRET]),
    onEvent: (event) => {
      events.push(event);
      if (event.type === "run_end" && event.cpuMs !== undefined) {
        cpu[event.operation] = [...(cpu[event.operation] ?? []), event.cpuMs];
      }
    },
    ...options,
  });
}

/** Runner events emitted while `action` ran. */
async function runnerEventsOf(action: () => Promise<unknown>): Promise<RunnerEvent[]> {
  const from = events.length;
  await action();
  return events.slice(from).filter((e): e is RunnerEvent => e.type === "run_start" || e.type === "run_end");
}

beforeAll(async () => {
  env = { ...process.env, ...sandboxAwsEnv(endpoint) };
  workspace = workspaceAt(await mkdtemp(join(tmpdir(), "cf-runner-")));
  await workspace.writeConfig(stackConfig({ subnetCidr: "10.42.1.0/24", owner: "team-a" }));
});

afterAll(() => {
  // The figures docs/terraform.md quotes (CPU of Terraform and its provider, ms).
  console.log("terraform CPU ms by operation:", JSON.stringify(cpu));
});

describe("TerraformWorkspace against real Terraform and moto", () => {
  it("initialises once from the mirror (symlinked, not copied), then skips init", async () => {
    const first = await workspace.init();
    expect(first.ran).toBe(true);
    const platformDir = join(
      workspace.dir,
      ".terraform/providers/registry.terraform.io/hashicorp/aws/5.100.0",
    );
    const [platform] = await readdir(platformDir);
    const link = join(platformDir, platform as string);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toContain(providerMirror);

    const again = await runnerEventsOf(async () => expect((await workspace.init()).ran).toBe(false));
    expect(again).toEqual([]);
  });

  it("plans from the -json stream alone: counts and addresses right, no show run", async () => {
    let plan: Awaited<ReturnType<TerraformWorkspace["plan"]>> | undefined;
    const runs = await runnerEventsOf(async () => {
      plan = await workspace.plan();
    });
    expect(runs.filter((e) => e.type === "run_start").map((e) => e.operation)).toEqual(["plan"]);
    expect(plan?.summary).toMatchObject({ add: 3, change: 0, destroy: 0, replace: 0, hasChanges: true });
    expect(plan?.summary.changes.map((c) => `${c.action} ${c.address}`).sort()).toEqual([
      "create aws_instance.w1",
      "create aws_subnet.a",
      "create aws_vpc.main",
    ]);
    expect(plan?.configHash).toMatch(/^[0-9a-f]{64}$/);
    expect(events.some((e) => e.type === "planned_change" && e.message.includes("Plan to create"))).toBe(
      true,
    );
  });

  it("applies the plan, streams progress and returns outputs, sensitive ones via output -json", async () => {
    const apply = await workspace.apply(join(workspace.runnerDir, "plan.tfplan"));
    expect(apply.applied).toEqual({ add: 3, change: 0, destroy: 0, import: 0 });
    expect(apply.outputsFromOutputCommand).toBe(true);
    expect(apply.outputs.secret).toEqual({ value: "s3cr3t-output-value", sensitive: true, type: "string" });
    const instanceId = apply.outputs.instance_id?.value;
    expect(instanceId).toMatch(/^i-/);
    expect(events.some((e) => e.type === "apply_complete" && e.address === "aws_instance.w1")).toBe(true);

    const instances = await describeInstances(endpoint, { "tag:suite": suite });
    expect(instances).toHaveLength(1);
    expect(instances[0]).toMatchObject({
      instanceId,
      state: "running",
      instanceType: "t3.micro",
      privateIp: apply.outputs.private_ip?.value,
      tags: { suite, Name: "w1" },
    });
    // Read once, the sensitive output is a secret for everything printed later.
    expect(workspace.redactor.redactText("x s3cr3t-output-value")).toBe(`x ${REDACTED}`);
  });

  it("writes the configuration only when its bytes change", async () => {
    const changed = stackConfig({ subnetCidr: "10.42.2.0/24", owner: TAG_SECRET });
    expect(await workspace.writeConfig(changed)).toBe(true);
    expect(await workspace.writeConfig(changed)).toBe(false);
  });

  it("detects an in-place update and replacements, and shows the plan redacted", async () => {
    const plan = await workspace.plan();
    expect(plan.summary).toMatchObject({ add: 2, change: 1, destroy: 2, replace: 2, hasChanges: true });
    expect(plan.summary.changes.map((c) => `${c.action} ${c.address}`).sort()).toEqual([
      "replace aws_instance.w1",
      "replace aws_subnet.a",
      "update aws_vpc.main",
    ]);
    expect(plan.summary.outputChanges.instance_id).toBe("update");

    const shown = await workspace.showPlan(plan.planFile);
    const vpc = shown.json?.resourceChanges.find((c) => c.address === "aws_vpc.main");
    expect(vpc?.actions).toEqual(["update"]);
    expect(vpc?.after).toMatchObject({ tags: { Owner: REDACTED } });
    expect(shown.json?.outputChanges.secret?.after).toBe("(sensitive)");
    expect(shown.text).toContain("must be replaced");
    expect(shown.text).toContain(REDACTED);
    const everything = JSON.stringify([shown, events]);
    expect(everything).not.toContain(TAG_SECRET);
    expect(everything).not.toContain("s3cr3t-output-value");
    expect(everything).not.toContain(env.AWS_SECRET_ACCESS_KEY);
  });

  it("cancels a running plan with SIGINT to its process group, leaving no Terraform behind", async () => {
    const controller = new AbortController();
    let pid = 0;
    const cancellable = workspaceAt(workspace.dir, {
      onEvent: (event) => {
        if (event.type === "run_start") pid = event.pid;
        // Cancel once Terraform has started the provider (first UI line), mid-plan.
        if (event.type === "version") setTimeout(() => controller.abort(), 1_000);
      },
    });
    await expect(cancellable.plan({ signal: controller.signal })).rejects.toBeInstanceOf(
      TerraformCancelledError,
    );
    expect(pid).toBeGreaterThan(0);
    expect(groupAlive(pid)).toBe(false);
    expect(await processesIn(workspace.dir)).toEqual([]);
    expect(await cancellable.abandonedRun()).toBeUndefined();
  });

  it("never runs two operations on one directory at once", async () => {
    const other = workspaceAt(workspace.dir);
    const runs = await runnerEventsOf(() => Promise.all([workspace.outputs(), other.outputs()]));
    expect(runs.map((e) => e.type)).toEqual(["run_start", "run_end", "run_start", "run_end"]);
  });

  it("destroys everything it created", async () => {
    const { plan, apply } = await workspace.destroy();
    expect(plan.summary).toMatchObject({ destroy: 3, add: 0, hasChanges: true });
    expect(apply?.applied.destroy).toBe(3);
    const left = await describeInstances(endpoint, { "tag:suite": suite, "instance-state-name": "running" });
    expect(left).toEqual([]);
  });
});

describe("TerraformWorkspace failures", () => {
  it("reports a missing binary as a PrerequisiteError that says how to fix it", async () => {
    const missing = workspaceAt(await mkdtemp(join(tmpdir(), "cf-nobin-")), {
      binary: "/nonexistent/terraform",
    });
    await missing.writeConfig({ locals: { a: 1 } });
    const attempt = missing.init();
    await expect(attempt).rejects.toBeInstanceOf(PrerequisiteError);
    await expect(attempt).rejects.toThrow(/--terraform-bin/);
  });

  it("turns a bad configuration into a TerraformError carrying Terraform's diagnostic", async () => {
    const bad = workspaceAt(await mkdtemp(join(tmpdir(), "cf-bad-")));
    await bad.writeConfig({ output: { x: { value: ref("aws_vpc.nope.id") } } });
    const error = await bad.plan().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerraformError);
    expect(error).toMatchObject({ retryable: false, reason: "TerraformFailed" });
    expect((error as TerraformError).diagnostics[0]).toMatchObject({
      severity: "error",
      summary: "Reference to undeclared resource",
      range: { filename: "cdk.tf.json", line: 4 },
    });
  });

  it("reports no changes when there is nothing to do", async () => {
    const empty = workspaceAt(await mkdtemp(join(tmpdir(), "cf-empty-")));
    await empty.writeConfig({ locals: { a: 1 } });
    const plan = await empty.plan();
    expect(plan.summary).toMatchObject({ hasChanges: false, add: 0, change: 0, destroy: 0, changes: [] });
  });
});

/** Processes whose working directory is `dir` (Terraform and its providers run there). */
async function processesIn(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => "");
    if (cwd === dir) found.push(Number(entry));
  }
  return found;
}
