import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { backendChangeFlags } from "./backend-change.js";
import { writeBackendCredentials } from "./backend-credentials.js";
import { statsOf, type TerraformCommand } from "./command.js";
import { initFingerprint, isInitialised, recordInit } from "./init-fingerprint.js";
import type { InitResult } from "./types.js";

/**
 * `terraform init` for one working directory: skipped when nothing it
 * depends on changed (init-fingerprint.ts), with the backend flags a backend
 * change needs (backend-change.ts) and the partial backend configuration
 * (credentials) written to the runner directory.
 */
export class InitStep {
  private initJson: Promise<boolean> | undefined;

  constructor(
    private readonly command: TerraformCommand,
    private readonly configFile: string,
    private readonly backendCredentials: Readonly<Record<string, string>> | undefined,
  ) {}

  async run(signal?: AbortSignal): Promise<InitResult> {
    const { dir, runnerDir, binary } = this.command.settings;
    const config = JSON.parse(await readFile(this.configFile, "utf8")) as unknown;
    const cli = await this.command.cliConfig();
    const credentials = await writeBackendCredentials(runnerDir, this.backendCredentials);
    const fingerprint = initFingerprint(config, binary, cli.text, credentials?.digest);
    if (await isInitialised(dir, runnerDir, fingerprint)) {
      this.command.emit({
        type: "init_skipped",
        reason: "providers, backend and CLI config unchanged since the last init",
      });
      return { ran: false };
    }
    const backendFlags = await backendChangeFlags(dir, config);
    const json = await this.supportsJson(signal);
    const args = [
      "init",
      "-input=false",
      ...backendFlags,
      ...(credentials ? [`-backend-config=${credentials.path}`] : []),
      ...(json ? ["-json"] : ["-no-color"]),
    ];
    const { outcome } = await this.command.run("init", args, { signal, stream: json });
    await recordInit(runnerDir, fingerprint);
    return { ran: true, run: statsOf(outcome) };
  }

  /** `init -json` exists from Terraform 1.9; older ones (and tofu) get plain init, failures from stderr. */
  private async supportsJson(signal?: AbortSignal): Promise<boolean> {
    if (/tofu/i.test(basename(this.command.settings.binary))) return false;
    this.initJson ??= this.command.run("version", ["version", "-json"], { signal }).then(({ stdout }) => {
      const version = String((JSON.parse(stdout) as { terraform_version?: string }).terraform_version ?? "0");
      const [major = 0, minor = 0] = version.split(".").map(Number);
      return major > 1 || (major === 1 && minor >= 9);
    });
    this.initJson.catch(() => {
      this.initJson = undefined;
    });
    return this.initJson;
  }
}
