import type { KubeadmApiVersion } from "./api-version.js";

/**
 * Component flags as each kubeadm API spells them: a string map up to
 * v1beta3, a list of {name, value} from v1beta4 (which allows repeats).
 * Keys are sorted so the rendered text is stable.
 */
export type RenderedArgs = Record<string, string> | Array<{ name: string; value: string }>;

export function renderArgs(api: KubeadmApiVersion, args: Readonly<Record<string, string>>): RenderedArgs {
  const names = Object.keys(args).sort();
  if (api === "v1beta4") return names.map((name) => ({ name, value: args[name] ?? "" }));
  return Object.fromEntries(names.map((name) => [name, args[name] ?? ""]));
}
