/**
 * Watch: newline-delimited JSON events, each flushed as it happens. Resumes
 * from history after `resourceVersion`; unset or "0" starts with synthetic
 * ADDED events for the current objects; too old answers ERROR 410 and closes.
 */
import { badRequest, gone, tooLargeResourceVersion } from "../api-error.js";
import { apiVersionOf, resourceKey } from "../resource-type.js";
import { fieldMatcher, labelMatcher } from "../selectors.js";
import type { KubeObject, StoredEvent } from "../store.js";
import { buildTable, tableRequested } from "../table.js";
import type { Subscriber } from "../watch-hub.js";
import { present, type RequestContext } from "./context.js";

const defaultTimeoutSeconds = 30 * 60;
const bookmarkIntervalMs = 30_000;
const maxTimerSeconds = Math.floor((2 ** 31 - 1) / 1000);

/** timeoutSeconds within what a timer can hold (Node turns larger delays into 1 ms). */
function watchTimeoutSeconds(raw: string | null): number {
  if (raw === null || raw === "") return defaultTimeoutSeconds;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw badRequest(`timeoutSeconds: Invalid value: "${raw}": must be a non-negative number`);
  return Math.min(seconds, maxTimerSeconds);
}

export function handleWatch(context: RequestContext): void {
  const { service, type, route, query, request, response } = context;
  const byLabel = labelMatcher(query.get("labelSelector"));
  const byField = fieldMatcher(query.get("fieldSelector"));
  const matches = (object: KubeObject | undefined) =>
    object !== undefined && byLabel(object) && byField(object);
  const table = tableRequested(request.headers.accept);
  const includeObject = query.get("includeObject") ?? "Metadata";
  const requestedVersion = query.get("resourceVersion") ?? "";
  if (requestedVersion && !/^\d+$/.test(requestedVersion))
    throw badRequest(`resourceVersion: Invalid value: "${requestedVersion}": must be a non-negative integer`);
  // Every version this server handed out is already committed and visible (the store is
  // the cache), so unlike the apiserver's watch cache there is nothing to wait for.
  if (requestedVersion && Number(requestedVersion) > service.store.currentVersion)
    throw tooLargeResourceVersion(Number(requestedVersion), service.store.currentVersion);
  const timeoutSeconds = watchTimeoutSeconds(query.get("timeoutSeconds"));

  response.writeHead(200, {
    "Content-Type": "application/json",
    "Cache-Control": "no-cache, private",
    "Transfer-Encoding": "chunked",
  });
  response.socket?.setNoDelay(true);
  response.flushHeaders();
  let first = true;
  const write = (eventType: string, object: unknown) => {
    if (response.writableEnded) return;
    response.write(`${JSON.stringify({ type: eventType, object })}\n`);
  };
  const send = (eventType: string, object: KubeObject) => {
    const presented = present(type, route.version, object);
    if (!table) return write(eventType, presented);
    const rows = buildTable(
      type,
      route.version,
      [presented],
      { resourceVersion: object.metadata.resourceVersion },
      table,
      includeObject,
      first,
    );
    first = false;
    write(eventType, rows);
  };
  const deliver = (event: StoredEvent) => {
    const now = matches(event.object);
    const before = event.previous !== undefined && matches(event.previous);
    if (event.type === "ADDED" && now) send("ADDED", event.object);
    else if (event.type === "DELETED" && (before || now)) send("DELETED", event.object);
    else if (event.type === "MODIFIED") {
      if (now && before) send("MODIFIED", event.object);
      else if (now) send("ADDED", event.object);
      else if (before) send("DELETED", event.object);
    }
  };
  const subscriber: Subscriber = {
    key: resourceKey(type),
    namespace: type.namespaced ? route.namespace : undefined,
    deliver,
  };
  const current = service.store.currentVersion;
  const since = requestedVersion && requestedVersion !== "0" ? Number(requestedVersion) : current;
  const backlog = service.hub.subscribe(subscriber, since);
  if (!backlog) {
    const error = gone(`too old resource version: ${since} (${service.hub.oldestResumableVersion + 1})`);
    write("ERROR", error.toStatus());
    response.end();
    return;
  }
  if (!requestedVersion || requestedVersion === "0") {
    for (const object of service.list(type, route.namespace)) if (matches(object)) send("ADDED", object);
  }
  for (const event of backlog) deliver(event);

  const bookmarks =
    query.get("allowWatchBookmarks") === "true"
      ? setInterval(() => {
          write("BOOKMARK", {
            kind: type.kind,
            apiVersion: apiVersionOf(type, route.version),
            metadata: { resourceVersion: String(service.store.currentVersion) },
          });
        }, bookmarkIntervalMs)
      : undefined;
  const timeout = setTimeout(() => response.end(), timeoutSeconds * 1000);
  const close = () => {
    service.hub.unsubscribe(subscriber);
    clearTimeout(timeout);
    if (bookmarks) clearInterval(bookmarks);
  };
  response.on("close", close);
  request.on("close", close);
}
