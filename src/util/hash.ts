import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";

/** Hex sha256 of a text or bytes (configuration, prior state). */
export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Hex sha256 of a value's canonical JSON: equal values, equal hashes, whatever the key order. */
export function hashValue(value: unknown): string {
  return sha256(canonicalJson(value));
}
