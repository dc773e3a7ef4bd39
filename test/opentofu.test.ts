import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { liveInstances } from "../src/sandbox/ec2.js";
import { awsClusterYaml, awsMachineYaml } from "./helpers/aws-manifests.js";
import { runSandboxCli } from "./helpers/cli.js";

// `--terraform-bin tofu` end to end (apply then destroy against the
// emulator), where OpenTofu is installed. It cannot be installed on this
// project's build machines (no Debian or npm package; docs/hybrid.md), so
// there the test is reported as skipped with the reason in its name, and the
// mirror translation tofu needs is covered by src/terraform/mirror.test.ts.
const TOFU = process.env.CLUSTERFORM_TOFU_BIN ?? "tofu";
const tofuVersion = spawnSync(TOFU, ["version"], { encoding: "utf8" });
const hasTofu = !tofuVersion.error && tofuVersion.status === 0;
const title = hasTofu
  ? `OpenTofu (${tofuVersion.stdout.split("\n")[0]})`
  : `OpenTofu: not run, no "${TOFU}" binary here (install OpenTofu >= 1.10 or set CLUSTERFORM_TOFU_BIN)`;

// Said once in the run's output too: a skipped test's name is not always printed.
if (!hasTofu) console.info(title);

const endpoint = inject("awsEndpoint");
const mirror = inject("providerMirror");
const NS = "default";
const CLUSTER = "tofu";
let work: string;

const cli = (command: string, ...extra: string[]) =>
  runSandboxCli(
    command,
    { file: join(work, "cluster.yaml"), stateDir: join(work, "state"), endpoint, providerMirror: mirror },
    "--terraform-bin",
    TOFU,
    ...extra,
  );
const instances = () => liveInstances(endpoint, { "tag:clusterform.io/cluster": `${NS}/${CLUSTER}` });

describe.runIf(hasTofu)(title, () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "clusterform-tofu-"));
    await writeFile(
      join(work, "cluster.yaml"),
      [
        awsClusterYaml({ name: CLUSTER, namespace: NS, net: "10.90" }),
        awsMachineYaml({ name: "tofu-0", namespace: NS, cluster: CLUSTER }),
      ].join("---\n"),
    );
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("applies a cluster with tofu and the mirror, then destroys it", async () => {
    const applied = await cli("apply", "--auto-approve");
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(await instances()).toHaveLength(1);
    const again = await cli("plan", "--detailed-exitcode");
    expect(again.exitCode, again.stderr).toBe(0);
    const destroyed = await cli("destroy", "--auto-approve");
    expect(destroyed.exitCode, destroyed.stderr).toBe(0);
    expect(await instances()).toHaveLength(0);
  });
});
