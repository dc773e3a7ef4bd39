/** Small helpers for node:http requests and responses. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "./api-error.js";

const maxBodyBytes = 8 * 1024 * 1024;

export async function readBody(request: IncomingMessage): Promise<string> {
  return (await readBodyBytes(request)).toString("utf8");
}

export async function readBodyBytes(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes)
      throw new ApiError(413, "RequestEntityTooLarge", "the request body is larger than 8 MiB");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(
  response: ServerResponse,
  code: number,
  body: unknown,
  warnings: string[] = [],
): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(text)),
    "Cache-Control": "no-cache, private",
  };
  if (warnings.length > 0) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  response.writeHead(code, headers);
  response.end(text);
}

export function sendError(response: ServerResponse, error: unknown): void {
  const apiError =
    error instanceof ApiError
      ? error
      : new ApiError(
          500,
          "InternalError",
          `Internal error occurred: ${(error as Error)?.message ?? String(error)}`,
        );
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendJson(response, apiError.code, apiError.toStatus());
}
