import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import { PrerequisiteError } from "../errors.js";

/**
 * Where Terraform gets providers. A filesystem mirror (the folder holding
 * `registry.terraform.io/`) is used through a CLI config written into the
 * working directory; an unpacked mirror is symlinked by `terraform init`, so
 * many cluster directories share one copy of the ~700 MB AWS provider.
 */

export const MIRROR_ENV = "CLUSTERFORM_PROVIDER_MIRROR";

/** Checked in order when neither an option nor the environment names a mirror. */
export const KNOWN_MIRROR_PLACES = [
  "/opt/tf-plugins",
  join(homedir(), ".terraform.d", "plugins"),
  "/usr/share/terraform/plugins",
  "/usr/local/share/terraform/plugins",
];

/** Terraform's name for this machine's platform, e.g. linux_amd64. */
export function terraformPlatform(): string {
  const arch =
    { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" }[process.arch as string] ?? process.arch;
  return `${process.platform === "win32" ? "windows" : process.platform}_${arch}`;
}

/**
 * The provider mirror to use: the explicit option, else $CLUSTERFORM_PROVIDER_MIRROR,
 * else the first known place holding the AWS provider for this platform. An
 * explicit mirror that holds no provider is an error (a typo should not fall
 * back to the network).
 */
export function findProviderMirror(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const named = explicit ?? env[MIRROR_ENV];
  if (named) {
    if (listMirrorProviders(named).length === 0) {
      throw new PrerequisiteError(
        `provider mirror ${named} holds no provider for ${terraformPlatform()} ` +
          "(expected registry.terraform.io/<namespace>/<type>/<version>/<platform>/ inside it); " +
          `fix --provider-mirror / ${MIRROR_ENV}, or fill it with \`terraform providers mirror ${named}\``,
      );
    }
    return named;
  }
  return KNOWN_MIRROR_PLACES.find((place) => mirrorHolds(place, "registry.terraform.io/hashicorp/aws"));
}

/**
 * The mirror a working directory uses. Precedence: explicit path > $CLUSTERFORM_PROVIDER_MIRROR
 * > the user's own existing TF_CLI_CONFIG_FILE (no mirror: their config decides) > detection.
 * `false` turns mirrors off (providers from the registry or the user's CLI config).
 */
export function resolveProviderMirror(
  option: string | false | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (option === false) return undefined;
  if (option || env[MIRROR_ENV]) return findProviderMirror(option, env);
  if (env.TF_CLI_CONFIG_FILE && isFile(env.TF_CLI_CONFIG_FILE)) return undefined;
  return findProviderMirror(undefined, env);
}

/** Providers (`host/namespace/type`) the mirror holds for this platform, packed or unpacked. */
export function listMirrorProviders(mirror: string): string[] {
  const platform = terraformPlatform();
  const found: string[] = [];
  for (const host of subdirs(mirror)) {
    for (const namespace of subdirs(join(mirror, host))) {
      for (const type of subdirs(join(mirror, host, namespace))) {
        const address = `${host}/${namespace}/${type}`;
        if (mirrorHolds(mirror, address, platform)) found.push(address);
      }
    }
  }
  return found.sort();
}

function mirrorHolds(mirror: string, address: string, platform = terraformPlatform()): boolean {
  const typeDir = join(mirror, address);
  const entries = safeReaddir(typeDir);
  const unpacked = entries.some((version) => existsSync(join(typeDir, version, platform)));
  const packed = entries.some((file) => file.endsWith(`_${platform}.zip`));
  return unpacked || packed;
}

/**
 * The CLI config for a mirror: the providers it holds come only from it; any
 * other provider (vSphere, when the mirror lacks it) falls through to the
 * registry, so a partial mirror never hides a provider behind a misleading
 * "not found in mirror".
 */
export function renderCliConfig(
  mirror: string,
  providers: readonly string[],
  pluginCacheDir?: string,
): string {
  const list = providers.map((p) => JSON.stringify(p)).join(", ");
  const lines = [
    "# Written by clusterform: providers from the filesystem mirror, others from their registry.",
    ...(pluginCacheDir ? [`plugin_cache_dir = ${JSON.stringify(pluginCacheDir)}`] : []),
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirror)}`,
    `    include = [${list}]`,
    "  }",
    "  direct {",
    `    exclude = [${list}]`,
    "  }",
    "}",
    "",
  ];
  return lines.join("\n");
}

export interface CliConfigSetup {
  /** Variables to set (string) or remove (undefined) in Terraform's environment. */
  env: Record<string, string | undefined>;
  /** The CLI config's content (part of the init fingerprint), if any is in effect. */
  text?: string;
}

/**
 * Prepares Terraform's CLI configuration for a working directory. With a
 * mirror, writes `.runner/cli.tfrc` and points TF_CLI_CONFIG_FILE at it.
 * Without one, an existing TF_CLI_CONFIG_FILE is honoured; one pointing at a
 * missing file is dropped so Terraform does not warn on every command.
 */
export async function prepareCliConfig(options: {
  runnerDir: string;
  providerMirror?: string;
  env: NodeJS.ProcessEnv;
  /** The Terraform binary: OpenTofu resolves `hashicorp/aws` on its own registry host. */
  binary?: string;
}): Promise<CliConfigSetup> {
  const { runnerDir, providerMirror, env } = options;
  if (providerMirror) {
    const mirror = isOpenTofu(options.binary) ? await tofuMirror(runnerDir, providerMirror) : providerMirror;
    const text = renderCliConfig(mirror, listMirrorProviders(mirror));
    const file = join(runnerDir, "cli.tfrc");
    await mkdir(runnerDir, { recursive: true });
    if ((await readFile(file, "utf8").catch(() => undefined)) !== text) await writeFile(file, text);
    return { env: { TF_CLI_CONFIG_FILE: file }, text };
  }
  const existing = env.TF_CLI_CONFIG_FILE;
  if (existing && isFile(existing)) {
    return { env: {}, text: `${existing}\n${await readFile(existing, "utf8")}` };
  }
  return { env: { TF_CLI_CONFIG_FILE: undefined } };
}

export const TERRAFORM_REGISTRY = "registry.terraform.io";
export const OPENTOFU_REGISTRY = "registry.opentofu.org";

/** `tofu`, `/usr/bin/tofu`, `tofu-1.10`: OpenTofu names its binary tofu. */
export function isOpenTofu(binary: string | undefined): boolean {
  return binary !== undefined && basename(binary).startsWith("tofu");
}

/**
 * OpenTofu resolves a short source (`aws`, `hashicorp/aws`) to
 * registry.opentofu.org, but mirrors filled for Terraform hold
 * registry.terraform.io only. The provider packages are the same builds, so
 * the runner gives tofu a mirror in `.runner/tofu-mirror` whose
 * registry.opentofu.org/<ns>/<type> entries are symlinks to the Terraform
 * host's (and every host of the mirror stays reachable as it is).
 */
export async function tofuMirror(runnerDir: string, mirror: string): Promise<string> {
  const root = join(runnerDir, "tofu-mirror");
  const links: [string, string][] = [];
  for (const address of listMirrorProviders(mirror)) {
    const [host, namespace, type] = address.split("/") as [string, string, string];
    links.push([join(root, host, namespace, type), join(mirror, address)]);
    if (host === TERRAFORM_REGISTRY && !existsSync(join(mirror, OPENTOFU_REGISTRY, namespace, type)))
      links.push([join(root, OPENTOFU_REGISTRY, namespace, type), join(mirror, address)]);
  }
  for (const [link, target] of links) {
    if ((await readlink(link).catch(() => undefined)) === target) continue;
    await rm(link, { force: true, recursive: true });
    await mkdir(join(link, ".."), { recursive: true });
    await symlink(target, link, "dir");
  }
  return root;
}

function subdirs(dir: string): string[] {
  return safeReaddir(dir).filter((name) => isDir(join(dir, name)));
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
