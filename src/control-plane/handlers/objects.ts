/** Single-object verbs (get, create, update, patch, delete) and deletecollection. */
import { badRequest, methodNotAllowed, pathNotFound, statusBody } from "../api-error.js";
import { readBody, sendJson } from "../http-util.js";
import type { DeleteOptions } from "../object-service.js";
import { apiVersionOf } from "../resource-type.js";
import type { KubeObject } from "../store.js";
import { buildTable, tableRequested } from "../table.js";
import { parseJsonBody, present, type RequestContext, readObjectBody, requestOptions } from "./context.js";
import { handleList, selectObjects } from "./list.js";
import { handleScale } from "./scale.js";
import { handleWatch } from "./watch.js";

function sendObject(
  context: RequestContext,
  code: number,
  object: KubeObject,
  warnings: string[] = [],
): void {
  const { type, route, request, response, query } = context;
  const presented = present(type, route.version, object);
  const table = tableRequested(request.headers.accept);
  if (table && request.method === "GET") {
    sendJson(
      response,
      code,
      buildTable(
        type,
        route.version,
        [presented],
        { resourceVersion: object.metadata.resourceVersion },
        table,
        query.get("includeObject") ?? "Metadata",
      ),
    );
    return;
  }
  sendJson(response, code, presented, warnings);
}

export async function handleResource(context: RequestContext): Promise<void> {
  const { route, request, query } = context;
  const method = request.method ?? "GET";
  if (route.subresource === "scale") return handleScale(context);
  if (route.subresource && route.subresource !== "status") throw pathNotFound();
  if (route.subresource === "status" && !context.type.statusSubresource) throw pathNotFound();
  if (!route.name) {
    if (method === "GET" && (query.get("watch") === "true" || query.get("watch") === "1"))
      return handleWatch(context);
    if (method === "GET") return handleList(context);
    if (method === "POST") return create(context);
    if (method === "DELETE") return deleteCollection(context);
    throw methodNotAllowed(`${method} is not supported on a collection`);
  }
  if (method === "GET")
    return sendObject(context, 200, context.service.get(context.type, route.namespace, route.name));
  if (method === "PUT") return update(context);
  if (method === "PATCH") return patch(context);
  if (method === "DELETE" && !route.subresource) return remove(context);
  throw methodNotAllowed(
    `${method} is not supported on ${route.plural}${route.subresource ? `/${route.subresource}` : ""}`,
  );
}

async function create(context: RequestContext): Promise<void> {
  const options = requestOptions(context);
  const body = await readObjectBody(context);
  const created = context.service.create(
    context.type,
    context.route.version,
    context.route.namespace,
    body,
    options,
  );
  sendObject(context, 201, created, options.warnings);
}

async function update(context: RequestContext): Promise<void> {
  const { route } = context;
  const options = requestOptions(context);
  const body = await readObjectBody(context);
  const updated = context.service.update(
    context.type,
    route.version,
    route.namespace,
    route.name ?? "",
    body,
    options,
    route.subresource,
  );
  sendObject(context, 200, updated, options.warnings);
}

async function patch(context: RequestContext): Promise<void> {
  const { route, request } = context;
  const options = requestOptions(context);
  const raw = await readBody(request);
  const contentType = request.headers["content-type"] ?? "";
  const existed = context.service.find(context.type, route.namespace, route.name ?? "") !== undefined;
  const patched = context.service.patch(
    context.type,
    route.version,
    route.namespace,
    route.name ?? "",
    contentType,
    raw,
    options,
    route.subresource,
  );
  sendObject(context, existed ? 200 : 201, patched, options.warnings);
}

async function readDeleteOptions(context: RequestContext): Promise<DeleteOptions> {
  const raw = (await readBody(context.request)).trim();
  const options: DeleteOptions = raw ? (parseJsonBody(raw) as unknown as DeleteOptions) : {};
  const policy = context.query.get("propagationPolicy");
  if (policy) options.propagationPolicy = policy as DeleteOptions["propagationPolicy"];
  if (context.query.getAll("dryRun").includes("All")) options.dryRun = true;
  if (
    options.propagationPolicy &&
    !["Orphan", "Background", "Foreground"].includes(options.propagationPolicy)
  ) {
    throw badRequest(
      `propagationPolicy: Unsupported value: "${options.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  return options;
}

async function remove(context: RequestContext): Promise<void> {
  const { type, route } = context;
  const options = await readDeleteOptions(context);
  const { object, deleted } = context.service.delete(type, route.namespace, route.name ?? "", options);
  if (!deleted || !type.builtIn || type.kind === "Namespace" || type.kind === "CustomResourceDefinition") {
    sendObject(context, 200, object);
    return;
  }
  sendJson(context.response, 200, {
    ...statusBody("Success", 200, undefined, undefined, {
      name: route.name,
      group: type.group,
      kind: type.plural,
    }),
    details: { name: route.name, group: type.group, kind: type.plural, uid: object.metadata.uid },
  });
}

async function deleteCollection(context: RequestContext): Promise<void> {
  const { type, route, service } = context;
  const options = await readDeleteOptions(context);
  const removed = selectObjects(context).map(
    (object) => service.delete(type, object.metadata.namespace, object.metadata.name ?? "", options).object,
  );
  sendJson(context.response, 200, {
    kind: type.listKind,
    apiVersion: apiVersionOf(type, route.version),
    metadata: { resourceVersion: String(service.store.currentVersion) },
    items: removed.map((object) => present(type, route.version, object)),
  });
}
