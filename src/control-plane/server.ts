/**
 * The HTTP front: bearer-token check, routing to discovery, OpenAPI and the
 * resource handlers, and Status bodies for every error.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { badRequest, pathNotFound, unauthorized } from "./api-error.js";
import { type AuditSink, auditRecord } from "./audit.js";
import { coreVersions, group, groupList, resourceList, versionInfo } from "./discovery.js";
import { handleResource } from "./handlers/objects.js";
import { sendError, sendJson } from "./http-util.js";
import type { ObjectService } from "./object-service.js";
import { groupVersionDocument, rootDocument, sendOpenApiV2 } from "./openapi.js";
import { parseRoute } from "./route.js";

export interface ServerState {
  service: ObjectService;
  token: string;
  serverAddress: () => string;
  /** Records every authenticated resource request (off when undefined). */
  audit?: AuditSink;
}

function authorized(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization ?? "";
  const presented = Buffer.from(header.startsWith("Bearer ") ? header.slice(7).trim() : "");
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

export function createRequestHandler(state: ServerState) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    handle(state, request, response).catch((error: unknown) => sendError(response, error));
  };
}

/** The URL and its route; a malformed URL or percent-escape is the client's error (400). */
function parseRequestUrl(raw: string) {
  try {
    const url = new URL(raw, "http://localhost");
    return { url, route: parseRoute(url.pathname) };
  } catch (error) {
    throw badRequest(`the request URL could not be parsed: ${(error as Error).message}`);
  }
}

async function handle(state: ServerState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { url, route } = parseRequestUrl(request.url ?? "/");
  if (route.kind === "health") {
    response.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
    return;
  }
  if (!authorized(request, state.token)) throw unauthorized();
  const { registry } = state.service;
  const found = (body: unknown) => {
    if (!body) throw pathNotFound();
    sendJson(response, 200, body);
  };
  switch (route.kind) {
    case "version":
      return found(versionInfo());
    case "core-versions":
      return found(coreVersions(state.serverAddress()));
    case "groups":
      return found(groupList(registry));
    case "group":
      return found(group(registry, route.group));
    case "resources":
      return found(resourceList(registry, route.group, route.version));
    case "openapi-root":
      return found(rootDocument(registry));
    case "openapi":
      return found(groupVersionDocument(registry, route.group, route.version));
    case "openapi-v2":
      return sendOpenApiV2(request, response);
    case "resource": {
      state.audit?.(
        auditRecord(request.method ?? "GET", route, url.searchParams, request.headers["user-agent"]),
      );
      const type = registry.lookup(route.group, route.version, route.plural);
      if (!type) throw pathNotFound();
      if (type.namespaced === false && route.namespace !== undefined) throw pathNotFound();
      return handleResource({
        request,
        response,
        query: url.searchParams,
        service: state.service,
        type,
        route,
      });
    }
    default:
      throw pathNotFound();
  }
}
