import { gzipSync } from "node:zlib";
import { API_VERSION, CLUSTER_NAME_LABEL } from "../api/meta.js";
import type { Redactor } from "../terraform/redact.js";
import type { RedactedPlanJson } from "../terraform/types.js";

/**
 * The held plan as reviewers read it with kubectl alone: ConfigMap
 * `<cluster>-plan` with `plan.txt` (Terraform's rendering, no colours) and
 * `plan.json` (the redacted machine-readable plan), both redacted again here.
 *
 * A ConfigMap holds at most 1 MiB in all, so a bigger plan is spread over
 * parts: `plan.json` is gzipped (base64, `binaryData.plan.json.gz`) and the
 * text is cut on line boundaries into `<cluster>-plan`, `<cluster>-plan-001`,
 * ... each with a plain `plan.txt`, so the text stays readable with
 *   kubectl get configmap -l clusterform.io/plan-of=NAME --sort-by=.metadata.name \
 *     -o jsonpath='{range .items[*]}{.data.plan\.txt}{end}'
 */

export const PLAN_OF_LABEL = "clusterform.io/plan-of";
export const PLAN_ID_ANNOTATION = "clusterform.io/plan-id";
/** "index/count" on every part, so readers can tell a complete set from one being rewritten. */
export const PLAN_PART_ANNOTATION = "clusterform.io/plan-part";
export const PLAN_TEXT_KEY = "plan.txt";
export const PLAN_JSON_KEY = "plan.json";
export const PLAN_JSON_GZ_KEY = "plan.json.gz";
export const PLAN_SUMMARY_KEY = "summary";
/** Below the 1 MiB object limit, leaving room for metadata. */
export const MAX_PART_BYTES = 900 * 1024;

export interface PlanConfigMap {
  apiVersion: "v1";
  kind: "ConfigMap";
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    ownerReferences: {
      apiVersion: string;
      kind: string;
      name: string;
      uid: string;
      controller: boolean;
      blockOwnerDeletion: boolean;
    }[];
  };
  data: Record<string, string>;
  binaryData?: Record<string, string>;
}

export interface PlanPayloadInput {
  cluster: { name: string; namespace: string; uid: string };
  id: string;
  /** One line, e.g. "Plan 0123abcd: 2 to add, 0 to change, 0 to destroy". */
  summary: string;
  text: string;
  json?: RedactedPlanJson;
  redactor: Redactor;
  maxPartBytes?: number;
}

export function planConfigMapName(clusterName: string, part = 0): string {
  return part === 0 ? `${clusterName}-plan` : `${clusterName}-plan-${String(part).padStart(3, "0")}`;
}

export function planConfigMaps(input: PlanPayloadInput): PlanConfigMap[] {
  const max = input.maxPartBytes ?? MAX_PART_BYTES;
  const text = input.redactor.redactText(input.text);
  const json = input.json ? JSON.stringify(input.redactor.redact(input.json)) : undefined;
  const summary = input.redactor.redactText(input.summary);
  const first: Record<string, string> = { [PLAN_SUMMARY_KEY]: summary };
  const binary: Record<string, string> = {};
  const fixed = bytes(summary);
  if (fixed + bytes(text) + bytes(json ?? "") <= max) {
    first[PLAN_TEXT_KEY] = text;
    if (json !== undefined) first[PLAN_JSON_KEY] = json;
    return [configMap(input, 0, 1, first)];
  }
  let used = fixed;
  if (json !== undefined) {
    const packed = gzipSync(json).toString("base64");
    // The JSON may take at most half a part, so the text always starts in the first one.
    if (bytes(packed) <= max / 2) {
      binary[PLAN_JSON_GZ_KEY] = packed;
      used += bytes(packed);
    } else {
      first[`${PLAN_JSON_KEY}.omitted`] =
        `the redacted plan JSON is ${bytes(json)} bytes (${bytes(packed)} gzipped), too big to store`;
      used += 200;
    }
  }
  const chunks = splitText(text, max - used, max);
  first[PLAN_TEXT_KEY] = chunks[0] ?? "";
  const parts = [configMap(input, 0, chunks.length, first, binary)];
  for (let i = 1; i < chunks.length; i++) {
    parts.push(configMap(input, i, chunks.length, { [PLAN_TEXT_KEY]: chunks[i] as string }));
  }
  return parts;
}

/** The text of a complete set of parts, in order; throws when parts are missing or mixed. */
export function joinPlanText(parts: readonly PlanConfigMap[] | readonly ConfigMapLike[]): string {
  const sorted = [...parts].sort((a, b) => partIndex(a) - partIndex(b));
  const ids = new Set(sorted.map((p) => p.metadata?.annotations?.[PLAN_ID_ANNOTATION]));
  const count = partCount(sorted[0]);
  if (ids.size !== 1 || sorted.length !== count || sorted.some((p, i) => partIndex(p) !== i)) {
    throw new Error(
      `the plan ConfigMaps are incomplete (${sorted.length} of ${count} parts, plan ids ${[...ids].join(", ")}): the controller may be rewriting them; retry`,
    );
  }
  return sorted.map((p) => p.data?.[PLAN_TEXT_KEY] ?? "").join("");
}

/** The parts a reader sees: any ConfigMap shape (client-node, kubectl JSON). */
export interface ConfigMapLike {
  metadata?: { name?: string; annotations?: Record<string, string> };
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

function partIndex(part: ConfigMapLike): number {
  const [index] = (part.metadata?.annotations?.[PLAN_PART_ANNOTATION] ?? "0/1").split("/");
  return Number(index);
}

function partCount(part: ConfigMapLike | undefined): number {
  const [, count] = (part?.metadata?.annotations?.[PLAN_PART_ANNOTATION] ?? "0/1").split("/");
  return Number(count);
}

function configMap(
  input: PlanPayloadInput,
  index: number,
  count: number,
  data: Record<string, string>,
  binaryData: Record<string, string> = {},
): PlanConfigMap {
  const { cluster } = input;
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: planConfigMapName(cluster.name, index),
      namespace: cluster.namespace,
      labels: { [PLAN_OF_LABEL]: cluster.name, [CLUSTER_NAME_LABEL]: cluster.name },
      annotations: { [PLAN_ID_ANNOTATION]: input.id, [PLAN_PART_ANNOTATION]: `${index}/${count}` },
      // Garbage collection removes the plan with its Cluster.
      ownerReferences: [
        {
          apiVersion: API_VERSION,
          kind: "Cluster",
          name: cluster.name,
          uid: cluster.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    data,
    ...(Object.keys(binaryData).length > 0 ? { binaryData } : {}),
  };
}

/** Cuts on line ends where possible: the first chunk at most `firstMax` bytes, the rest `max`. */
export function splitText(text: string, firstMax: number, max: number): string[] {
  const chunks: string[] = [];
  let current = "";
  let limit = firstMax;
  const flush = () => {
    chunks.push(current);
    current = "";
    limit = max;
  };
  for (const line of text.split(/(?<=\n)/)) {
    if (bytes(current) + bytes(line) <= limit) {
      current += line;
      continue;
    }
    if (current !== "") flush();
    let rest = line;
    while (bytes(rest) > limit) {
      const head = sliceBytes(rest, limit);
      current = head;
      flush();
      rest = rest.slice(head.length);
    }
    current = rest;
  }
  if (current !== "" || chunks.length === 0) chunks.push(current);
  return chunks;
}

/** The longest prefix of `text` within `limit` UTF-8 bytes (never splitting a character). */
function sliceBytes(text: string, limit: number): string {
  let end = Math.min(text.length, limit);
  while (end > 0 && bytes(text.slice(0, end)) > limit) end--;
  return text.slice(0, Math.max(end, 1));
}

function bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
