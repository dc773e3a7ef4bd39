import {
  annotationPath,
  BACKEND_ANNOTATION,
  BACKEND_CONFIG_ANNOTATION,
  BACKEND_SETTING_ANNOTATIONS,
} from "../api/annotations.js";
import type { Cluster } from "../api/cluster.js";
import type { FieldError } from "../api/field-error.js";
import { errorAt, identify, isRecord } from "../api/field-error.js";
import { joinPath } from "../api/field-path.js";
import type { BackendSettings } from "./types.js";

/** The part of a v1 ConfigMap the backend settings are read from. */
export interface ConfigMapLike {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  data?: Record<string, string>;
}

export const DEFAULT_KEY_PREFIX = "clusterform";
const BACKEND_TYPES = ["local", "s3", "kubernetes"] as const;
type SettingName = keyof typeof BACKEND_SETTING_ANNOTATIONS;

// S3's own bucket naming rules (3-63 lowercase letters, digits, dots, hyphens).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z0-9]+)+$/;
// A DNS subdomain, as Kubernetes names Secrets.
const SECRET_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KEY_PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;

export type BackendResult = { ok: true; backend: BackendSettings } | { ok: false; errors: FieldError[] };

/** Is this object a v1 ConfigMap (the only non-cluster.k8s.io kind file mode reads)? */
export function isConfigMap(object: unknown): object is ConfigMapLike {
  return isRecord(object) && object.kind === "ConfigMap" && object.apiVersion === "v1";
}

/**
 * The backend of a Cluster from its annotations and the ConfigMap named by
 * `clusterform.io/backend-config` (same namespace). Annotations win over the
 * ConfigMap's keys. `fallbackRegion` (the AWS cluster's region) fills an
 * unset S3 region. Every error names the Cluster and the annotation or key.
 */
export function resolveBackend(
  cluster: Cluster,
  configMaps: readonly ConfigMapLike[],
  fallbackRegion?: string,
  defaultType: "local" | "kubernetes" = "local",
): BackendResult {
  const annotations = cluster.metadata.annotations ?? {};
  const type = annotations[BACKEND_ANNOTATION] ?? defaultType;
  if (!(BACKEND_TYPES as readonly string[]).includes(type)) {
    const message = `unknown backend "${type}": use one of ${BACKEND_TYPES.join(", ")}`;
    return { ok: false, errors: [errorAt(cluster, annotationPath(BACKEND_ANNOTATION), message)] };
  }
  const { namespace, name = "" } = identify(cluster);
  if (type === "local") return { ok: true, backend: { type: "local" } };
  if (type === "kubernetes") {
    // Terraform names the Secret tfstate-default-<suffix>: keep it a valid, short Secret name.
    const secretSuffix = `${namespace}-${name}`;
    if (secretSuffix.length > 230) {
      const message = `namespace and name together are too long for the kubernetes backend's Secret name (${secretSuffix.length} > 230 characters)`;
      return { ok: false, errors: [errorAt(cluster, "metadata.name", message)] };
    }
    return { ok: true, backend: { type: "kubernetes", secretSuffix, namespace } };
  }
  return resolveS3(cluster, annotations, configMaps, fallbackRegion);
}

/**
 * The Secret with the s3 bucket's own credentials a Cluster names (annotation
 * first, then the ConfigMap's `credentialsSecret`), read even when other
 * settings are invalid: a Cluster being deleted still needs it.
 */
export function backendCredentialsSecret(
  cluster: Cluster,
  configMaps: readonly ConfigMapLike[],
): string | undefined {
  const annotations = cluster.metadata.annotations ?? {};
  if (annotations[BACKEND_ANNOTATION] !== "s3") return undefined;
  return (
    annotations[BACKEND_SETTING_ANNOTATIONS.credentialsSecret] ??
    configMapData(cluster, annotations, configMaps, [])?.values.credentialsSecret
  );
}

function resolveS3(
  cluster: Cluster,
  annotations: Record<string, string>,
  configMaps: readonly ConfigMapLike[],
  fallbackRegion: string | undefined,
): BackendResult {
  const { namespace, name = "" } = identify(cluster);
  const errors: FieldError[] = [];
  const data = configMapData(cluster, annotations, configMaps, errors);
  const setting = (key: SettingName) => {
    const annotation = BACKEND_SETTING_ANNOTATIONS[key];
    if (annotations[annotation] !== undefined)
      return { value: annotations[annotation], path: annotationPath(annotation) };
    if (data?.values[key] !== undefined) return { value: data.values[key], path: `${data.ref}: data.${key}` };
    return undefined;
  };
  const check = (key: SettingName, pattern: RegExp, what: string) => {
    const found = setting(key);
    if (found && !pattern.test(found.value))
      errors.push(errorAt(cluster, found.path, `"${found.value}" is not ${what}`));
    return found?.value;
  };
  const bucket = check("bucket", BUCKET, "a valid S3 bucket name (3-63 lowercase letters, digits, '.', '-')");
  if (!setting("bucket")) {
    const message = `the s3 backend needs a bucket: set annotation ${BACKEND_SETTING_ANNOTATIONS.bucket} or key "bucket" in the ConfigMap named by ${BACKEND_CONFIG_ANNOTATION}`;
    errors.push(errorAt(cluster, annotationPath(BACKEND_ANNOTATION), message));
  }
  const keyPrefix = check(
    "keyPrefix",
    KEY_PREFIX,
    "a key prefix (path segments of letters, digits, !_.*'()-)",
  );
  const region = check("region", REGION, "an AWS region name like eu-west-1") ?? fallbackRegion;
  if (region === undefined) {
    const message = `the s3 backend needs a region: set annotation ${BACKEND_SETTING_ANNOTATIONS.region} or key "region" in the ConfigMap`;
    errors.push(errorAt(cluster, annotationPath(BACKEND_ANNOTATION), message));
  }
  const credentialsSecret = check(
    "credentialsSecret",
    SECRET_NAME,
    "a Secret name (lowercase letters, digits, '-', '.'; at most 253 characters)",
  );
  const endpoint = setting("endpoint");
  if (endpoint && !isHttpUrl(endpoint.value))
    errors.push(errorAt(cluster, endpoint.path, `"${endpoint.value}" is not an http(s) URL`));
  if (errors.length || bucket === undefined || region === undefined) return { ok: false, errors };
  const key = `${keyPrefix ?? DEFAULT_KEY_PREFIX}/${namespace}/${name}/terraform.tfstate`;
  return {
    ok: true,
    backend: {
      type: "s3",
      bucket,
      key,
      region,
      ...(endpoint ? { endpoint: endpoint.value } : {}),
      ...(credentialsSecret ? { credentialsSecret } : {}),
    },
  };
}

function configMapData(
  cluster: Cluster,
  annotations: Record<string, string>,
  configMaps: readonly ConfigMapLike[],
  errors: FieldError[],
): { ref: string; values: Record<string, string> } | undefined {
  const configName = annotations[BACKEND_CONFIG_ANNOTATION];
  if (configName === undefined) return undefined;
  const { namespace } = identify(cluster);
  const found = configMaps.find((c) => {
    const id = identify(c);
    return id.name === configName && id.namespace === namespace;
  });
  if (!found) {
    const message = `ConfigMap ${namespace}/${configName} not found: create it (in file mode, in the same manifest files) or remove the annotation`;
    errors.push(errorAt(cluster, annotationPath(BACKEND_CONFIG_ANNOTATION), message));
    return undefined;
  }
  const data: unknown = found.data ?? {};
  if (!isRecord(data)) {
    errors.push(errorAt(found, "data", "must be a mapping of keys to strings"));
    return undefined;
  }
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === "string") values[key] = value;
    else
      errors.push(
        errorAt(found, joinPath("data", key), `must be a string, not ${describeValue(value)}: quote it`),
      );
  }
  return { ref: `ConfigMap ${namespace}/${configName}`, values };
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `a ${typeof value}`;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === ""
    );
  } catch {
    return false;
  }
}
