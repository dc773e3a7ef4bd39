// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform template syntax in plain strings is what these values are about.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { modelsFromManifests } from "../src/model/from-manifests.js";
import { listMirrorProviders, renderCliConfig } from "../src/terraform/mirror.js";
import { exampleAwsModel } from "../stacks/example-models.js";
import { HOSTILE_STRINGS, synthesizeStack } from "../stacks/index.js";

// The real terraform and the real AWS provider schema judge the synthesized
// JSON. No network: the provider comes from the filesystem mirror the e2e
// global setup found (a missing prerequisite fails the run there, loudly).
const mirror = inject("providerMirror");
const terraform = inject("terraformBin");

let workdir: string;
let env: Record<string, string>;

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "cf-stacks-validate-"));
  const cliConfig = join(workdir, "terraform.rc");
  await writeFile(cliConfig, renderCliConfig(mirror, listMirrorProviders(mirror)));
  env = { TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
});

afterAll(async () => {
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

async function validate(name: string, json: string) {
  const dir = join(workdir, name);
  await execa("mkdir", ["-p", dir]);
  await writeFile(join(dir, "cdk.tf.json"), json);
  await execa(terraform, ["init", "-input=false", "-no-color"], { cwd: dir, env });
  const result = await execa(terraform, ["validate", "-json", "-no-color"], { cwd: dir, env, reject: false });
  return JSON.parse(result.stdout) as {
    valid: boolean;
    error_count: number;
    diagnostics: { summary: string }[];
  };
}

describe("synthesized AWS stacks pass terraform validate with the real provider", () => {
  it("accepts a new VPC with public and private subnets, filters, every machine option and hostile tags", async () => {
    const hostileTags = Object.fromEntries(
      HOSTILE_STRINGS.map((value, index) => [`k${index}${value}`, value]),
    );
    const model = exampleAwsModel({
      spec: {
        sshKeyName: "cluster-key",
        additionalTags: hostileTags,
        networkSpec: {
          vpc: { cidrBlock: "10.20.0.0/16" },
          subnets: [
            { cidrBlock: "10.20.1.0/24", availabilityZone: "us-east-1a", isPublic: true },
            { cidrBlock: "10.20.2.0/24", availabilityZone: "us-east-1b" },
          ],
        },
      },
      machines: [
        {
          name: "cp-0",
          role: "control-plane",
          spec: { publicIP: true, rootDeviceSize: 30, keyName: "cp-key" },
        },
        {
          name: "w.1",
          spec: {
            ami: { filters: [{ name: "name", values: ["ubuntu-*"] }] },
            availabilityZone: "us-east-1b",
            iamInstanceProfile: "nodes",
            additionalSecurityGroups: [
              { id: "sg-0123" },
              { filters: [{ name: "group-name", values: ["extra"] }] },
            ],
          },
        },
        { name: "w-2", spec: { subnet: { filters: [{ name: "tag:Name", values: ["${x}"] }] } } },
      ],
    });
    const report = await validate(
      "new-vpc",
      synthesizeStack(model, { awsEndpoint: "http://127.0.0.1:1" }).json,
    );
    expect(report.diagnostics.map((d) => d.summary)).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it("accepts an existing VPC and subnets referenced by id", async () => {
    const model = exampleAwsModel({
      spec: { networkSpec: { vpc: { id: "vpc-0abc" }, subnets: [{ id: "subnet-0abc", isPublic: true }] } },
      machines: [{ name: "cp-0", role: "control-plane" }],
    });
    const report = await validate("existing-vpc", synthesizeStack(model).json);
    expect(report.diagnostics.map((d) => d.summary)).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it("accepts the AWS fixture's stack", async () => {
    const { models, allErrors } = await modelsFromManifests([
      join(import.meta.dirname, "..", "fixtures", "aws"),
    ]);
    expect(allErrors).toEqual([]);
    const aws = models.filter((model) => model.provider === "aws");
    expect(aws).toHaveLength(1);
    const report = await validate("fixture", synthesizeStack(aws[0] as (typeof aws)[0]).json);
    expect(report.diagnostics.map((d) => d.summary)).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it("rejects what the real provider rejects (the check can fail)", async () => {
    const model = exampleAwsModel({ machines: [{ name: "cp-0", role: "control-plane" }] });
    const tree = JSON.parse(synthesizeStack(model).json);
    tree.resource.aws_instance["machine_cp-0"].no_such_argument = true;
    const report = await validate("broken", JSON.stringify(tree));
    expect(report.valid).toBe(false);
    expect(report.diagnostics.map((d) => d.summary)).toContain("Extraneous JSON object property");
  });
});
