/** What every request handler gets: the parsed request and the server state. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FieldValidation } from "../admission.js";
import { badRequest, unsupportedMediaType } from "../api-error.js";
import { parseJsonText, parseYamlText } from "../body-parse.js";
import { readBodyBytes } from "../http-util.js";
import type { ObjectService, RequestOptions } from "../object-service.js";
import { decodeProtobufObject } from "../protobuf.js";
import { apiVersionOf, type ResourceType } from "../resource-type.js";
import type { ResourceRoute } from "../route.js";
import type { KubeObject } from "../store.js";

export interface RequestContext {
  request: IncomingMessage;
  response: ServerResponse;
  query: URLSearchParams;
  service: ObjectService;
  type: ResourceType;
  route: ResourceRoute;
}

export function requestOptions(context: RequestContext): RequestOptions {
  const { query, request } = context;
  const validation = query.get("fieldValidation") ?? "Warn";
  if (!["Strict", "Warn", "Ignore"].includes(validation)) {
    throw badRequest(
      `fieldValidation: Unsupported value: "${validation}": supported values: "Ignore", "Strict", "Warn"`,
    );
  }
  const userAgent = request.headers["user-agent"] ?? "unknown";
  return {
    fieldManager: query.get("fieldManager") ?? (userAgent.split("/")[0] || "unknown"),
    fieldValidation: validation as FieldValidation,
    dryRun: query.getAll("dryRun").includes("All"),
    force: query.get("force") === "true",
    warnings: [],
  };
}

/** The object as the requested version presents it (all versions convert trivially). */
export function present(type: ResourceType, version: string, object: KubeObject): KubeObject {
  return { ...object, apiVersion: apiVersionOf(type, version), kind: type.kind };
}

const notDecodable = "the body of the request could not be decoded as a JSON object";

export function parseJsonBody(raw: string): KubeObject {
  return objectBody(parseJsonText(raw, notDecodable), notDecodable);
}

function objectBody(value: unknown, what: string): KubeObject {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw badRequest(`${what}: not an object`);
  return value as KubeObject;
}

/** Reads a create/update body in JSON, YAML or (built-in kinds) protobuf. */
export async function readObjectBody(context: RequestContext): Promise<KubeObject> {
  const contentType =
    (context.request.headers["content-type"] ?? "application/json").split(";")[0]?.trim() ?? "";
  const bytes = await readBodyBytes(context.request);
  if (contentType === "application/vnd.kubernetes.protobuf") {
    if (!context.type.builtIn) throw unsupportedMediaType(contentType);
    return decodeProtobufObject(bytes);
  }
  if (contentType === "application/yaml") {
    const what = "the body of the request could not be decoded as YAML";
    return objectBody(parseYamlText(bytes.toString("utf8"), what), what);
  }
  if (contentType !== "application/json" && contentType !== "*/*" && contentType !== "")
    throw unsupportedMediaType(contentType);
  return parseJsonBody(bytes.toString("utf8"));
}
