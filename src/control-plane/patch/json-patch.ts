/**
 * RFC 6902 JSON Patch through fast-json-patch. The package is CommonJS
 * without an exports map, so only its default export is reliable under ESM.
 */
import fastJsonPatch from "fast-json-patch";

export interface JsonPatchOperation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

/** Applies the operations to a copy; throws fast-json-patch's error (name TEST_OPERATION_FAILED for a failed test). */
export function applyJsonPatch<T>(document: T, operations: JsonPatchOperation[]): T {
  return fastJsonPatch.applyPatch(
    document,
    operations as Parameters<typeof fastJsonPatch.applyPatch>[1],
    true,
    false,
  ).newDocument;
}
