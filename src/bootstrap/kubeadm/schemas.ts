import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import type { KubeadmApiVersion } from "./api-version.js";

/**
 * The project's JSON Schemas of kubeadm's config documents, one file per API
 * version (schemas/<version>.json, hand-written from kubeadm's Go types).
 * There is no kubeadm binary here, so these are what rendered documents are
 * checked against in tests (read from src/ beside this file: tsc does not
 * copy the JSON into dist/, and nothing in the product validates at runtime).
 */
export type KubeadmKind = "ClusterConfiguration" | "InitConfiguration" | "JoinConfiguration";

const ajv = new Ajv({ allErrors: true, strict: true, validateFormats: false });
const loaded = new Set<KubeadmApiVersion>();

export function kubeadmSchemaId(api: KubeadmApiVersion): string {
  return `https://clusterform.io/schemas/kubeadm/${api}.json`;
}

/** ajv's errors for `document` against kubeadm `api`'s schema of `kind`; empty when valid. */
export function checkKubeadmDocument(
  api: KubeadmApiVersion,
  kind: KubeadmKind,
  document: unknown,
): ErrorObject[] {
  if (!loaded.has(api)) {
    const text = readFileSync(new URL(`./schemas/${api}.json`, import.meta.url), "utf8");
    ajv.addSchema(JSON.parse(text) as object);
    loaded.add(api);
  }
  const validate = ajv.getSchema(`${kubeadmSchemaId(api)}#/$defs/${kind}`);
  if (!validate) throw new Error(`no schema for ${kind} in kubeadm ${api}`);
  return validate(document) ? [] : [...(validate.errors ?? [])];
}
