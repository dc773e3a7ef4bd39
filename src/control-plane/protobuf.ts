/**
 * Decoding of Kubernetes protobuf request bodies for the built-in kinds.
 * kubectl's typed commands (`create namespace`, `create configmap`,
 * `create secret`) send `application/vnd.kubernetes.protobuf`; responses
 * stay JSON, which those clients also accept.
 */
import { badRequest } from "./api-error.js";
import type { KubeObject } from "./store.js";

type Field = { number: number; wire: number; value: bigint | Uint8Array };

function readFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let offset = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = bytes[offset++];
      if (byte === undefined) throw badRequest("truncated protobuf body");
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (offset < bytes.length) {
    const tag = varint();
    const number = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) fields.push({ number, wire, value: varint() });
    else if (wire === 2) {
      const length = Number(varint());
      fields.push({ number, wire, value: bytes.subarray(offset, offset + length) });
      offset += length;
    } else if (wire === 1) offset += 8;
    else if (wire === 5) offset += 4;
    else throw badRequest(`unsupported protobuf wire type ${wire}`);
  }
  return fields;
}

const text = (value: bigint | Uint8Array) =>
  value instanceof Uint8Array ? Buffer.from(value).toString("utf8") : "";
const bytesOf = (value: bigint | Uint8Array) => (value instanceof Uint8Array ? value : new Uint8Array());
const num = (value: bigint | Uint8Array) =>
  typeof value === "bigint" ? Number(BigInt.asIntN(64, value)) : 0;

type Convert = (value: bigint | Uint8Array) => unknown;
type Schema = Record<number, [name: string, convert: Convert, mode?: "repeated" | "map"]>;

function decode(bytes: Uint8Array, schema: Schema): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of readFields(bytes)) {
    const entry = schema[field.number];
    if (!entry) continue;
    const [name, convert, mode] = entry;
    if (mode === "repeated") {
      const list = (result[name] as unknown[] | undefined) ?? [];
      list.push(convert(field.value));
      result[name] = list;
    } else if (mode === "map") {
      const pair = decode(bytesOf(field.value), { 1: ["key", text], 2: ["value", convert] });
      result[name] = { ...((result[name] as object) ?? {}), [String(pair.key ?? "")]: pair.value ?? "" };
    } else result[name] = convert(field.value);
  }
  return result;
}

function time(value: bigint | Uint8Array): string {
  const parts = decode(bytesOf(value), { 1: ["seconds", num], 2: ["nanos", num] });
  return new Date(Number(parts.seconds ?? 0) * 1000).toISOString().replace(/\.\d+Z$/, "Z");
}

const base64 = (value: bigint | Uint8Array) => Buffer.from(bytesOf(value)).toString("base64");
const bool = (value: bigint | Uint8Array) => value === 1n;
const message = (schema: Schema) => (value: bigint | Uint8Array) => decode(bytesOf(value), schema);

const ownerReference: Schema = {
  1: ["kind", text],
  3: ["name", text],
  4: ["uid", text],
  5: ["apiVersion", text],
  6: ["controller", bool],
  7: ["blockOwnerDeletion", bool],
};

const objectMeta: Schema = {
  1: ["name", text],
  2: ["generateName", text],
  3: ["namespace", text],
  5: ["uid", text],
  6: ["resourceVersion", text],
  7: ["generation", num],
  8: ["creationTimestamp", time],
  11: ["labels", text, "map"],
  12: ["annotations", text, "map"],
  13: ["ownerReferences", message(ownerReference), "repeated"],
  14: ["finalizers", text, "repeated"],
};

const objectReference: Schema = {
  1: ["kind", text],
  2: ["namespace", text],
  3: ["name", text],
  4: ["uid", text],
  5: ["apiVersion", text],
  6: ["resourceVersion", text],
  7: ["fieldPath", text],
};

const kinds: Record<string, Schema> = {
  Namespace: {
    1: ["metadata", message(objectMeta)],
    2: ["spec", message({ 1: ["finalizers", text, "repeated"] })],
  },
  ConfigMap: {
    1: ["metadata", message(objectMeta)],
    2: ["data", text, "map"],
    3: ["binaryData", base64, "map"],
    4: ["immutable", bool],
  },
  Secret: {
    1: ["metadata", message(objectMeta)],
    2: ["data", base64, "map"],
    3: ["type", text],
    4: ["stringData", text, "map"],
    5: ["immutable", bool],
  },
  Event: {
    1: ["metadata", message(objectMeta)],
    2: ["involvedObject", message(objectReference)],
    3: ["reason", text],
    4: ["message", text],
    5: ["source", message({ 1: ["component", text], 2: ["host", text] })],
    6: ["firstTimestamp", time],
    7: ["lastTimestamp", time],
    8: ["count", num],
    9: ["type", text],
    12: ["action", text],
    14: ["reportingComponent", text],
    15: ["reportingInstance", text],
  },
  Lease: {
    1: ["metadata", message(objectMeta)],
    2: [
      "spec",
      message({
        1: ["holderIdentity", text],
        2: ["leaseDurationSeconds", num],
        5: ["leaseTransitions", num],
      }),
    ],
  },
};

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decodes a `k8s\0`-prefixed runtime.Unknown envelope holding one of the built-in kinds. */
export function decodeProtobufObject(body: Buffer): KubeObject {
  if (!body.subarray(0, 4).equals(magic))
    throw badRequest("protobuf body does not start with the k8s envelope prefix");
  const envelope = decode(body.subarray(4), {
    1: ["typeMeta", message({ 1: ["apiVersion", text], 2: ["kind", text] })],
    2: ["raw", bytesOf],
  });
  const typeMeta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = kinds[typeMeta.kind ?? ""];
  if (!schema)
    throw badRequest(
      `protobuf bodies are accepted for Namespace, ConfigMap, Secret, Event and Lease only, not ${typeMeta.kind}; send JSON`,
    );
  const object = decode(envelope.raw as Uint8Array, schema);
  // proto2 encodes unset optional strings and times as empty values; JSON omits them.
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(metadata)) {
    if (value === "" || value === "1970-01-01T00:00:00Z") delete metadata[key];
  }
  return {
    apiVersion: typeMeta.apiVersion,
    kind: typeMeta.kind,
    ...object,
    metadata: (object.metadata ?? {}) as KubeObject["metadata"],
  };
}
