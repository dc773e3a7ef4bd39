/**
 * ConfigMap and Secret contents as the apiserver checks them: keys are file
 * names (`[-._a-zA-Z0-9]+`, at most 253), a key appears in only one of a
 * ConfigMap's data and binaryData, Secret `data` and ConfigMap `binaryData`
 * values are base64, and the whole content is at most 1 MiB.
 */
import type { StatusCause } from "../api-error.js";
import type { KubeObject } from "../store.js";
import { configKeyErrors, shown } from "./names.js";

/** Kubernetes' MaxSecretSize, also the ConfigMap limit. */
export const maxDataBytes = 1024 * 1024;

// Go's base64.StdEncoding, which decodes []byte fields: padded, newlines ignored.
const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

export function isBase64(value: string): boolean {
  const compact = value.replace(/[\r\n]/g, "");
  return compact.length % 4 === 0 && base64Pattern.test(compact);
}

function entries(object: KubeObject, field: string): [string, unknown][] {
  const value = object[field];
  return value !== null && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : [];
}

function keyCauses(field: string, key: string): StatusCause[] {
  return configKeyErrors(key).map((message) => ({
    field: `${field}[${key}]`,
    message: `Invalid value: ${shown(key)}: ${message}`,
  }));
}

function base64Causes(field: string, key: string, value: unknown): StatusCause[] {
  if (typeof value === "string" && isBase64(value)) return [];
  return [
    {
      field: `${field}[${key}]`,
      message: `Invalid value: ${shown(value)}: must be base64-encoded (illegal base64 data)`,
    },
  ];
}

function sizeCauses(kind: string, bytes: number): StatusCause[] {
  if (bytes <= maxDataBytes) return [];
  return [
    {
      reason: "FieldValueTooLong",
      field: "data",
      message: `Too long: ${kind} data must have at most ${maxDataBytes} bytes`,
    },
  ];
}

/** Decoded size of a base64 value (what the apiserver limits). */
function decodedBytes(value: unknown): number {
  return typeof value === "string" ? Math.floor((value.replace(/[\r\n=]/g, "").length * 3) / 4) : 0;
}

export function secretCauses(secret: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  let size = 0;
  for (const [key, value] of entries(secret, "data")) {
    causes.push(...keyCauses("data", key), ...base64Causes("data", key, value));
    size += key.length + decodedBytes(value);
  }
  for (const [key] of entries(secret, "stringData")) causes.push(...keyCauses("stringData", key));
  return [...causes, ...sizeCauses("Secret", size)];
}

export function configMapCauses(configMap: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  let size = 0;
  const data = entries(configMap, "data");
  for (const [key, value] of data) {
    causes.push(...keyCauses("data", key));
    size += key.length + (typeof value === "string" ? Buffer.byteLength(value) : 0);
  }
  const textKeys = new Set(data.map(([key]) => key));
  for (const [key, value] of entries(configMap, "binaryData")) {
    causes.push(...keyCauses("binaryData", key), ...base64Causes("binaryData", key, value));
    if (textKeys.has(key)) {
      causes.push({
        field: `data[${key}]`,
        message: `Invalid value: ${shown(key)}: duplicate of key present in binaryData`,
      });
    }
    size += key.length + decodedBytes(value);
  }
  return [...causes, ...sizeCauses("ConfigMap", size)];
}
