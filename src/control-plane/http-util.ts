/** Small helpers for node:http requests and responses. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "./api-error.js";

export const maxBodyBytes = 8 * 1024 * 1024;

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

/**
 * Runs `then` once the request body has been read to its end. A response sent
 * while the client is still sending a body it did not need (a GET with a
 * body, an error found first) would otherwise reset the connection and the
 * client would see ECONNRESET instead of the answer. Beyond the body limit the
 * rest is not read: the answer closes the connection.
 */
function afterRequestBody(request: IncomingMessage, then: (close: boolean) => void): void {
  if (request.complete || request.readableEnded || request.destroyed) {
    then(false);
    return;
  }
  let size = 0;
  let done = false;
  const finish = (close: boolean) => {
    if (done) return;
    done = true;
    request.off("data", count);
    then(close);
  };
  const count = (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBodyBytes) finish(true);
  };
  request.on("data", count);
  request.once("end", () => finish(false));
  request.once("error", () => finish(true));
  request.resume();
}

export function sendJson(
  response: ServerResponse,
  code: number,
  body: unknown,
  warnings: string[] = [],
): void {
  afterRequestBody(response.req, (close) => writeJson(response, code, body, warnings, close));
}

function writeJson(
  response: ServerResponse,
  code: number,
  body: unknown,
  warnings: string[],
  close: boolean,
): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(text)),
    "Cache-Control": "no-cache, private",
  };
  if (warnings.length > 0) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  if (close) headers.Connection = "close";
  response.writeHead(code, headers);
  response.end(text);
  if (close) response.once("finish", () => response.req.destroy());
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
