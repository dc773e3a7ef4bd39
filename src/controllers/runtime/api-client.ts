import { Agent, request } from "node:https";
import type { KubeConfig, KubernetesListObject, KubernetesObject } from "@kubernetes/client-node";
import { ClusterformError } from "../../errors.js";
import { collectionPath, objectPath, type ResourceRef } from "./resource.js";

/** An answer from the API server other than 2xx. Retryable unless it is a 4xx that retrying cannot fix. */
export class ApiError extends ClusterformError {
  readonly reason: string;
  readonly retryable: boolean;
  constructor(
    readonly statusCode: number,
    readonly statusReason: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
    this.reason = statusReason || `Http${statusCode}`;
    // No answer (0), conflicts, throttling and server errors clear up on their own.
    this.retryable = statusCode === 0 || statusCode === 409 || statusCode === 429 || statusCode >= 500;
  }
}

export const isNotFound = (error: unknown): boolean => error instanceof ApiError && error.statusCode === 404;
export const isConflict = (error: unknown): boolean => error instanceof ApiError && error.statusCode === 409;
export const isAlreadyExists = (error: unknown): boolean =>
  error instanceof ApiError && error.statusCode === 409 && error.statusReason === "AlreadyExists";

export type PatchType = "merge" | "json";
const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
};

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

/**
 * A small JSON client for any resource (custom or built-in) over the
 * kubeconfig's TLS and credentials. The generated client-node APIs cover the
 * same ground with one class per group; one generic path keeps the
 * controllers free of that and lets them pick the patch type.
 */
export class ApiClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16 });

  constructor(
    readonly kubeConfig: KubeConfig,
    /** A request with no answer for this long fails with a retryable ApiError (status 0). */
    private readonly timeoutMs = 30_000,
  ) {}

  async get<T extends KubernetesObject>(
    resource: ResourceRef,
    namespace: string | undefined,
    name: string,
  ): Promise<T> {
    return this.request<T>("GET", objectPath(resource, namespace, name));
  }

  /** Like `get`, but undefined when the object does not exist. */
  async find<T extends KubernetesObject>(
    resource: ResourceRef,
    namespace: string | undefined,
    name: string,
  ): Promise<T | undefined> {
    try {
      return await this.get<T>(resource, namespace, name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async list<T extends KubernetesObject>(
    resource: ResourceRef,
    namespace?: string,
    options: { labelSelector?: string; fieldSelector?: string } = {},
  ): Promise<KubernetesListObject<T>> {
    return this.request("GET", collectionPath(resource, namespace), { query: options });
  }

  async create<T extends KubernetesObject>(
    resource: ResourceRef,
    namespace: string | undefined,
    body: T,
  ): Promise<T> {
    return this.request("POST", collectionPath(resource, namespace), { body });
  }

  async replace<T extends KubernetesObject>(resource: ResourceRef, body: T): Promise<T> {
    const { namespace, name } = body.metadata ?? {};
    return this.request("PUT", objectPath(resource, namespace, name ?? ""), { body });
  }

  async patch<T extends KubernetesObject>(
    resource: ResourceRef,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    subresource?: "status" | "scale",
  ): Promise<T> {
    const path = objectPath(resource, namespace, name) + (subresource ? `/${subresource}` : "");
    return this.request("PATCH", path, { body: patch, contentType: PATCH_CONTENT_TYPE[type] });
  }

  /** Deletes with background propagation; a missing object is not an error. */
  async delete(
    resource: ResourceRef,
    namespace: string | undefined,
    name: string,
    preconditions?: { uid?: string; resourceVersion?: string },
  ): Promise<void> {
    try {
      await this.request("DELETE", objectPath(resource, namespace, name), {
        body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background", preconditions },
      });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster)
      throw new ApiError(0, "NoCluster", "the kubeconfig has no current cluster: set its context");
    const url = new URL(cluster.server.replace(/\/$/, "") + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const httpsOptions: import("node:https").RequestOptions = {
      method,
      agent: this.agent,
      headers: {
        Accept: "application/json",
        ...(body !== undefined
          ? {
              "Content-Type": options.contentType ?? "application/json",
              "Content-Length": Buffer.byteLength(body),
            }
          : {}),
      },
      signal: options.signal,
    };
    await this.kubeConfig.applyToHTTPSOptions(httpsOptions);
    return new Promise<T>((resolve, reject) => {
      const req = request(url, httpsOptions, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            resolve((text ? JSON.parse(text) : undefined) as T);
            return;
          }
          reject(toApiError(method, path, status, text));
        });
      });
      req.setTimeout(this.timeoutMs, () =>
        req.destroy(new Error(`no answer within ${this.timeoutMs} ms (is the API server up?)`)),
      );
      req.on("error", (error) =>
        reject(new ApiError(0, "ConnectionFailed", `${method} ${path}: ${error.message}`)),
      );
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function toApiError(method: string, path: string, status: number, text: string): ApiError {
  let reason = "";
  let message = text.slice(0, 500);
  try {
    const parsed = JSON.parse(text) as { reason?: string; message?: string };
    reason = parsed.reason ?? "";
    message = parsed.message ?? message;
  } catch {
    // not a Status body: keep the raw text
  }
  return new ApiError(status, reason, `${method} ${path}: ${status} ${message}`);
}
