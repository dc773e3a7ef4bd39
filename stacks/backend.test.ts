// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform template syntax in plain strings is what these values are about.
import { describe, expect, it } from "vitest";
import { exampleAwsModel } from "./example-models.js";
import { synthesizeStack } from "./index.js";

type Tree = {
  terraform: { backend: Record<string, Record<string, unknown>> };
  import?: { id: string; to: string }[];
  removed?: { from: string; lifecycle: { destroy: boolean } }[];
};
const parse = (json: string) => JSON.parse(json) as Tree;

describe("backend block", () => {
  it("is local with a relative path by default", () => {
    expect(parse(synthesizeStack(exampleAwsModel()).json).terraform.backend).toEqual({
      local: { path: "terraform.tfstate" },
    });
  });

  it("writes s3 settings with S3 locking and, for a custom endpoint, path-style and no AWS-only checks; no credentials", () => {
    const model = {
      ...exampleAwsModel(),
      backend: {
        type: "s3" as const,
        bucket: "tf-state",
        key: "p/default/demo/terraform.tfstate",
        region: "us-east-1",
        endpoint: "http://127.0.0.1:5000",
      },
    };
    const s3 = parse(synthesizeStack(model).json).terraform.backend.s3 ?? {};
    expect(s3).toMatchObject({
      bucket: "tf-state",
      key: "p/default/demo/terraform.tfstate",
      use_lockfile: true,
      endpoints: { s3: "http://127.0.0.1:5000" },
      use_path_style: true,
      skip_credentials_validation: true,
    });
    expect(Object.keys(s3).filter((k) => /access|secret|token|profile/.test(k))).toEqual([]);
  });

  it("writes the kubernetes backend with namespace and suffix only (kubeconfig from the environment)", () => {
    const model = {
      ...exampleAwsModel(),
      backend: { type: "kubernetes" as const, namespace: "team-a", secretSuffix: "team-a-demo" },
    };
    expect(parse(synthesizeStack(model).json).terraform.backend).toEqual({
      kubernetes: { namespace: "team-a", secret_suffix: "team-a-demo" },
    });
  });
});

describe("import and removed blocks", () => {
  it("imports an adopted machine's instance and forgets orphaned machines that left", () => {
    const model = exampleAwsModel({ machines: [{ name: "w1" }, { name: "w2" }] });
    const adopted = {
      ...model,
      machines: model.machines.map((m) => (m.name === "w1" ? { ...m, adoptId: "i-0123456789abcdef0" } : m)),
      orphanedMachines: ["gone.1", "w2"],
    };
    const tree = parse(synthesizeStack(adopted).json);
    expect(tree.import).toEqual([{ id: "i-0123456789abcdef0", to: "aws_instance.machine_w1" }]);
    // w2 is still in the cluster: only machines that left are forgotten.
    expect(tree.removed).toEqual([{ from: "aws_instance.machine_gone_1", lifecycle: { destroy: false } }]);
  });

  it("escapes an id that reaches synthesis unvalidated", () => {
    const model = exampleAwsModel({ machines: [{ name: "w1" }] });
    const hostile = {
      ...model,
      machines: model.machines.map((m) => ({ ...m, adoptId: 'i-${file("/etc/passwd")}' })),
    };
    expect(parse(synthesizeStack(hostile).json).import?.[0]?.id).toBe('i-$${file("/etc/passwd")}');
  });

  it("has neither block without adoption", () => {
    const tree = parse(synthesizeStack(exampleAwsModel()).json);
    expect(tree.import).toBeUndefined();
    expect(tree.removed).toBeUndefined();
  });
});
