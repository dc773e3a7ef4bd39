/**
 * RFC 6902 JSON Patch through fast-json-patch. The package is CommonJS
 * without an exports map, so only its default export is reliable under ESM.
 */
import fastJsonPatch from "fast-json-patch";
import { ApiError, badRequest } from "../api-error.js";

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

/** A JSON patch from a request: 400 when it is not a list of operations, 422 when it does not apply. */
export function applyJsonPatchRequest<T>(current: T, patch: unknown): T {
  if (!Array.isArray(patch)) throw badRequest("the JSON patch must be an array of operations");
  try {
    return applyJsonPatch(current, patch as JsonPatchOperation[]);
  } catch (error) {
    const failedTest = (error as { name?: string }).name === "TEST_OPERATION_FAILED";
    throw new ApiError(
      422,
      "Invalid",
      `the server rejected our request due to an error in our request: ${failedTest ? "test operation failed: " : ""}${String((error as Error)?.message ?? error).split("\n")[0]}`,
    );
  }
}
