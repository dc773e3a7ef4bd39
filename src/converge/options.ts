import { join } from "node:path";
import { Redactor } from "../terraform/redact.js";
import type { TerraformEvent } from "../terraform/types.js";

/** The backends that need no settings, so a controller flag can make one the default. */
export const DEFAULT_BACKENDS = ["local", "kubernetes"] as const;
export type DefaultBackend = (typeof DEFAULT_BACKENDS)[number];

/** How one process runs Terraform for its clusters (CLI flags or controller flags). */
export interface ConvergeOptions {
  /** Root of the per-cluster working directories: `<stateDir>/<namespace>/<cluster>/`. */
  stateDir: string;
  /** Point AWS stacks at this endpoint (emulator or AWS-compatible API). */
  awsEndpoint?: string;
  /** "terraform", "tofu" or a path. */
  terraformBin?: string;
  /** Provider filesystem mirror; undefined lets the runner find one. */
  providerMirror?: string;
  /** Terraform's environment: where credentials come from. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Per Terraform process. */
  timeoutMs?: number;
  /** Upper bound of an apply's -parallelism (cloud API rate limits); the value follows the plan's size. */
  maxParallelism?: number;
  /** Backend settings passed to `init` outside the configuration (the s3 bucket's credentials from a Secret). */
  backendCredentials?: Readonly<Record<string, string>>;
  /** The state backend of Clusters without the clusterform.io/backend annotation (default local). */
  defaultBackend?: DefaultBackend;
  /** Progress of every Terraform process, tagged with its cluster. */
  onEvent?: (cluster: ClusterRef, event: TerraformEvent) => void;
}

export interface ClusterRef {
  namespace: string;
  name: string;
}

export function clusterWorkDir(stateDir: string, cluster: ClusterRef): string {
  return join(stateDir, cluster.namespace, cluster.name);
}

export function clusterLabel(cluster: ClusterRef): string {
  return `${cluster.namespace}/${cluster.name}`;
}

/** Masks every secret these options hand to Terraform (environment credentials, backend credentials). */
export function convergeRedactor(options: ConvergeOptions): Redactor {
  return Redactor.fromEnv(options.env ?? process.env, Object.values(options.backendCredentials ?? {}));
}
