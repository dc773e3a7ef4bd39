/** GET on a collection: list with selectors, limit/continue, Table output. */
import { badRequest, gone, tooLargeResourceVersion } from "../api-error.js";
import { sendJson } from "../http-util.js";
import { apiVersionOf } from "../resource-type.js";
import { fieldMatcher, labelMatcher } from "../selectors.js";
import type { KubeObject } from "../store.js";
import { buildTable, tableRequested } from "../table.js";
import { present, type RequestContext } from "./context.js";

interface ContinueToken {
  rv: number;
  after: string;
}

function decodeContinue(token: string): ContinueToken {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as ContinueToken;
  } catch {
    throw badRequest(`continue key is not valid: ${token}`);
  }
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

const sortKey = (object: KubeObject) => `${object.metadata.namespace ?? ""}/${object.metadata.name}`;

export function selectObjects(context: RequestContext): KubeObject[] {
  const { service, type, route, query } = context;
  const byLabel = labelMatcher(query.get("labelSelector"));
  const byField = fieldMatcher(query.get("fieldSelector"));
  return service.list(type, route.namespace).filter((object) => byLabel(object) && byField(object));
}

export function handleList(context: RequestContext): void {
  const { service, type, route, query, request, response } = context;
  let objects = selectObjects(context);
  const currentVersion = service.store.currentVersion;
  const requestedVersion = query.get("resourceVersion") ?? "";
  if (/^\d+$/.test(requestedVersion) && Number(requestedVersion) > currentVersion)
    throw tooLargeResourceVersion(Number(requestedVersion), currentVersion);
  const continueToken = query.get("continue");
  if (continueToken) {
    const token = decodeContinue(continueToken);
    if (token.rv < service.hub.oldestResumableVersion) {
      throw gone(
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
      );
    }
    objects = objects.filter((object) => sortKey(object) > token.after);
  }
  const limit = Number(query.get("limit") ?? "0");
  const metadata: Record<string, unknown> = { resourceVersion: String(currentVersion) };
  if (limit > 0 && objects.length > limit) {
    const page = objects.slice(0, limit);
    metadata.continue = encodeContinue({
      rv: currentVersion,
      after: sortKey(page[page.length - 1] as KubeObject),
    });
    metadata.remainingItemCount = objects.length - limit;
    objects = page;
  }
  const items = objects.map((object) => present(type, route.version, object));
  const table = tableRequested(request.headers.accept);
  if (table) {
    sendJson(
      response,
      200,
      buildTable(type, route.version, items, metadata, table, query.get("includeObject") ?? "Metadata"),
    );
    return;
  }
  sendJson(response, 200, {
    kind: type.listKind,
    apiVersion: apiVersionOf(type, route.version),
    metadata,
    items,
  });
}
