import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PrerequisiteError } from "../errors.js";
import {
  findProviderMirror,
  isOpenTofu,
  listMirrorProviders,
  MIRROR_ENV,
  prepareCliConfig,
  renderCliConfig,
  resolveProviderMirror,
  terraformPlatform,
} from "./mirror.js";

function fakeMirror(providers: Record<string, "unpacked" | "packed">): string {
  const root = mkdtempSync(join(tmpdir(), "cf-mirror-"));
  for (const [address, layout] of Object.entries(providers)) {
    const type = address.split("/").at(-1);
    if (layout === "unpacked") {
      const dir = join(root, address, "1.0.0", terraformPlatform());
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `terraform-provider-${type}_v1.0.0`), "");
    } else {
      mkdirSync(join(root, address), { recursive: true });
      writeFileSync(join(root, address, `terraform-provider-${type}_1.0.0_${terraformPlatform()}.zip`), "");
    }
  }
  return root;
}

describe("provider mirror", () => {
  it("lists packed and unpacked providers for this platform only", () => {
    const mirror = fakeMirror({
      "registry.terraform.io/hashicorp/aws": "unpacked",
      "registry.terraform.io/hashicorp/random": "packed",
    });
    mkdirSync(join(mirror, "registry.terraform.io/hashicorp/vsphere/2.0.0/plan9_mips"), { recursive: true });
    expect(listMirrorProviders(mirror)).toEqual([
      "registry.terraform.io/hashicorp/aws",
      "registry.terraform.io/hashicorp/random",
    ]);
  });

  it("routes mirrored providers to the mirror and everything else to the registry", () => {
    const text = renderCliConfig("/m", ["registry.terraform.io/hashicorp/aws"]);
    expect(text).toContain('path    = "/m"');
    expect(text).toContain('include = ["registry.terraform.io/hashicorp/aws"]');
    expect(text).toContain('exclude = ["registry.terraform.io/hashicorp/aws"]');
  });

  it("refuses an explicit mirror that holds nothing instead of silently going online", () => {
    const empty = mkdtempSync(join(tmpdir(), "cf-empty-"));
    expect(() => findProviderMirror(empty, {})).toThrow(PrerequisiteError);
    expect(() => findProviderMirror(undefined, { [MIRROR_ENV]: empty })).toThrow(/holds no provider/);
  });

  it("prefers the option, then the env variable, then the user's own CLI config", () => {
    const a = fakeMirror({ "registry.terraform.io/hashicorp/aws": "unpacked" });
    const b = fakeMirror({ "registry.terraform.io/hashicorp/aws": "unpacked" });
    const userConfig = join(a, "user.tfrc");
    writeFileSync(userConfig, "");
    expect(resolveProviderMirror(a, { [MIRROR_ENV]: b })).toBe(a);
    expect(resolveProviderMirror(undefined, { [MIRROR_ENV]: b })).toBe(b);
    expect(resolveProviderMirror(undefined, { TF_CLI_CONFIG_FILE: userConfig })).toBeUndefined();
    expect(resolveProviderMirror(false, { [MIRROR_ENV]: b })).toBeUndefined();
  });
});

describe("prepareCliConfig", () => {
  it("writes the mirror config into the runner dir and points TF_CLI_CONFIG_FILE at it", async () => {
    const mirror = fakeMirror({ "registry.terraform.io/hashicorp/aws": "unpacked" });
    const runnerDir = join(mkdtempSync(join(tmpdir(), "cf-ws-")), ".runner");
    const setup = await prepareCliConfig({ runnerDir, providerMirror: mirror, env: {} });
    expect(setup.env.TF_CLI_CONFIG_FILE).toBe(join(runnerDir, "cli.tfrc"));
    expect(await readFile(join(runnerDir, "cli.tfrc"), "utf8")).toBe(setup.text);
  });

  it("drops a TF_CLI_CONFIG_FILE that points at a missing file and honours an existing one", async () => {
    const runnerDir = mkdtempSync(join(tmpdir(), "cf-ws-"));
    const missing = await prepareCliConfig({
      runnerDir,
      env: { TF_CLI_CONFIG_FILE: "/nonexistent/.terraformrc" },
    });
    expect(missing.env).toEqual({ TF_CLI_CONFIG_FILE: undefined });
    const existing = join(runnerDir, "user.tfrc");
    writeFileSync(existing, 'plugin_cache_dir = "/tmp"\n');
    const honoured = await prepareCliConfig({ runnerDir, env: { TF_CLI_CONFIG_FILE: existing } });
    expect(honoured.env).toEqual({});
    expect(honoured.text).toContain("plugin_cache_dir");
  });
});

describe("OpenTofu and the mirror", () => {
  it("recognises tofu binaries by name", () => {
    expect(isOpenTofu("tofu")).toBe(true);
    expect(isOpenTofu("/usr/local/bin/tofu")).toBe(true);
    expect(isOpenTofu("terraform")).toBe(false);
    expect(isOpenTofu(undefined)).toBe(false);
  });

  it("serves registry.terraform.io providers to tofu under registry.opentofu.org too", async () => {
    const mirror = fakeMirror({ "registry.terraform.io/hashicorp/aws": "unpacked" });
    const runnerDir = mkdtempSync(join(tmpdir(), "cf-runner-"));
    const setup = await prepareCliConfig({
      runnerDir,
      providerMirror: mirror,
      env: {},
      binary: "/opt/bin/tofu",
    });
    const shadow = join(runnerDir, "tofu-mirror");
    expect(setup.text).toContain(`path    = ${JSON.stringify(shadow)}`);
    expect(setup.text).toContain(
      '"registry.opentofu.org/hashicorp/aws", "registry.terraform.io/hashicorp/aws"',
    );
    expect(listMirrorProviders(shadow)).toEqual([
      "registry.opentofu.org/hashicorp/aws",
      "registry.terraform.io/hashicorp/aws",
    ]);
    // Idempotent: a second preparation finds the links in place.
    expect(
      (await prepareCliConfig({ runnerDir, providerMirror: mirror, env: {}, binary: "tofu" })).text,
    ).toBe(setup.text);
  });

  it("leaves Terraform on the mirror itself", async () => {
    const mirror = fakeMirror({ "registry.terraform.io/hashicorp/aws": "unpacked" });
    const runnerDir = mkdtempSync(join(tmpdir(), "cf-runner-"));
    const setup = await prepareCliConfig({ runnerDir, providerMirror: mirror, env: {}, binary: "terraform" });
    expect(setup.text).toContain(`path    = ${JSON.stringify(mirror)}`);
    expect(setup.text).not.toContain("opentofu");
  });
});
