import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterAll, describe, expect, inject, it } from "vitest";
import { describeInstances } from "../../src/sandbox/ec2.js";
import { eventually } from "../helpers/control-plane.js";

// `clusterform dev --aws-sandbox --apply fixtures/aws` as `npm start` runs it:
// its own moto (the fixture's tag must not collide with other tests' on the
// shared one), the embedded control plane, all controllers, real terraform.
const ROOT = resolve(import.meta.dirname, "../..");
const mirror = inject("providerMirror");

let work: string | undefined;
let child: ResultPromise | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  if (work) await rm(work, { recursive: true, force: true });
});

describe("clusterform dev", () => {
  it("converges the AWS fixture in a sandbox, prints the machines, and shuts down cleanly on SIGINT", async () => {
    work = await mkdtemp(join(tmpdir(), "cf-dev-e2e-"));
    const kubeconfig = join(work, "kubeconfig");
    let stdout = "";
    let stderr = "";
    child = execa(
      process.execPath,
      [
        "--import",
        "tsx",
        join(ROOT, "src/cli/main.ts"),
        "dev",
        "--data-dir",
        join(work, "data"),
        "--kubeconfig-out",
        kubeconfig,
        "--state-dir",
        join(work, "state"),
        "--provider-mirror",
        mirror,
        "--aws-sandbox",
        "--apply",
        join(ROOT, "fixtures/aws"),
      ],
      {
        cwd: ROOT,
        reject: false,
        stdin: "ignore",
        env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" },
      },
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });

    await eventually(
      () => stderr.includes("machines are Ready") || child?.exitCode !== null,
      "every Machine Ready",
      500_000,
    );
    await eventually(() => stderr.includes(`KUBECONFIG=${kubeconfig} kubectl`), "the kubectl line", 30_000);
    expect(child.exitCode, stderr).toBeNull();
    const endpoint = /AWS SANDBOX: .* at (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
    expect(endpoint, "the sandbox notice names its endpoint").toBeDefined();

    // The fixture: one control-plane Machine, a MachineSet of 2 and a MachineDeployment of 2.
    const rows = stdout.split("\n").filter((line) => line.startsWith("machine.cluster.k8s.io/"));
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row).toMatch(/aws:\/\/\/\/i-\w+\s+Running\s+10\.0\.1\.\d+/);
    const instances = (
      await describeInstances(endpoint as string, {
        "tag:clusterform.io/cluster": "default/workload-cluster-1",
      })
    ).filter((i) => i.state === "running");
    expect(instances.map((i) => `aws:////${i.instanceId}`).sort()).toEqual(
      rows.map((row) => /aws:\/\/\/\/i-\w+/.exec(row)?.[0]).sort(),
    );
    const kubectl = await execa("kubectl", ["get", "machines", "-o", "name"], {
      env: { KUBECONFIG: kubeconfig },
    });
    expect(kubectl.stdout.split("\n")).toHaveLength(5);

    child.kill("SIGINT");
    const result = await child;
    expect(result.exitCode, stderr).toBe(0);
    // The sandbox went with it.
    await expect(describeInstances(endpoint as string)).rejects.toThrow();
  });
});
