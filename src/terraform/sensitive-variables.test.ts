import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REDACTED } from "./redact.js";
import { TerraformWorkspace } from "./workspace.js";

// A stand-in binary: `output -json` echoes the variable it was given through
// the environment, so the test sees exactly what Terraform would receive.
const FAKE_TERRAFORM = `#!/bin/sh
printf '{"seen":{"sensitive":false,"type":"string","value":"%s"}}' "$TF_VAR_bootstrap_data_machine_a"
`;

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function fakeTerraform(): Promise<{ dir: string; binary: string }> {
  dir = await mkdtemp(join(tmpdir(), "cf-sensitive-vars-"));
  const binary = join(dir, "terraform");
  await writeFile(binary, FAKE_TERRAFORM);
  await chmod(binary, 0o755);
  return { dir, binary };
}

describe("sensitive variables of a workspace", () => {
  it("reach every Terraform command as TF_VAR_<name> and are redacted from then on", async () => {
    const { dir, binary } = await fakeTerraform();
    const value = "cloud-config bootstrap-canary-7f3e";
    const workspace = new TerraformWorkspace({
      dir: join(dir, "work"),
      binary,
      env: { PATH: process.env.PATH ?? "" },
      providerMirror: false,
      sensitiveVariables: { bootstrap_data_machine_a: value },
    });
    const outputs = await workspace.outputs();
    expect(outputs.seen?.value).toBe(value);
    expect(workspace.redactor.redactText(`user data: ${value}`)).toBe(`user data: ${REDACTED}`);
  });

  it("refuses a name Terraform could not read as a variable", async () => {
    const { dir, binary } = await fakeTerraform();
    expect(
      () =>
        new TerraformWorkspace({
          dir: join(dir, "work"),
          binary,
          providerMirror: false,
          sensitiveVariables: { "bad name": "value" },
        }),
    ).toThrow(/"bad name" is not a Terraform variable name/);
  });
});
