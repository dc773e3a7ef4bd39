import { type KubernetesObject, type ListWatch, makeInformer } from "@kubernetes/client-node";
import type { ApiClient } from "./api-client.js";
import { type Logger, silentLogger } from "./logger.js";
import { apiVersionOf, collectionPath, type ResourceRef } from "./resource.js";

/**
 * What the informer saw: an add, an update (with the object as it was
 * cached before, when known), a delete, or a resync replaying the cache.
 */
export interface ObjectChange<T> {
  type: "add" | "update" | "delete" | "resync";
  previous?: T;
}

export type ObjectHandler<T> = (object: T, change: ObjectChange<T>) => void;

export interface InformerOptions {
  /** Watch one namespace; all namespaces when undefined. */
  namespace?: string;
  /** Every resyncMs, handlers see every cached object again (level-based safety net). 0 = never. */
  resyncMs?: number;
  /** Delay before a failed list/watch is restarted (a function: asked at each failure, for backoff). */
  restartDelayMs?: number | (() => number);
  logger?: Logger;
  /** Told of every successful list (the API answers again). */
  onListed?: () => void;
  /** Told of every list/watch failure before the restart (a workload API gone away). */
  onError?: (error: unknown) => void;
}

/**
 * A cache of one resource kept current by client-node's list + watch, shared
 * by every controller that reads that kind. client-node relists on 410 by
 * itself but stops on any other error; this restarts it after a delay, and
 * replays the cache every resync period so a missed event is never fatal.
 */
export class SharedInformer<T extends KubernetesObject = KubernetesObject> {
  private readonly inner: ListWatch<T>;
  private readonly handlers: ObjectHandler<T>[] = [];
  private resyncTimer?: NodeJS.Timeout;
  private restartTimer?: NodeJS.Timeout;
  private running = false;
  private started?: Promise<void>;
  private listedOnce = false;
  private markSynced: () => void = () => {};
  private readonly lastSeen = new Map<string, T>();

  constructor(
    readonly resource: ResourceRef,
    client: ApiClient,
    private readonly options: InformerOptions = {},
  ) {
    const path = collectionPath(resource, options.namespace);
    const list = async () => {
      const answer = await client.list<T>(resource, options.namespace);
      this.listedOnce = true;
      options.onListed?.();
      // Lists omit kind/apiVersion on items; handlers and owner mapping want them.
      for (const item of answer.items) {
        item.kind ??= resource.kind;
        item.apiVersion ??= apiVersionOf(resource);
      }
      return answer;
    };
    this.inner = makeInformer<T>(client.kubeConfig, path, list) as unknown as ListWatch<T>;
    // client-node hands updates over without the old object: the last one seen is kept here.
    const emit = (type: "add" | "update" | "delete") => (object: T) => {
      const key = cacheKey(object);
      const previous = this.lastSeen.get(key);
      if (type === "delete") this.lastSeen.delete(key);
      else this.lastSeen.set(key, object);
      const change: ObjectChange<T> = type === "update" && previous ? { type, previous } : { type };
      for (const handler of this.handlers) handler(object, change);
    };
    this.inner.on("add", emit("add"));
    this.inner.on("update", emit("update"));
    this.inner.on("delete", emit("delete"));
    this.inner.on("error", (error: unknown) => this.restartLater(error));
  }

  /** Called for every add, update, delete and resync of an object of this kind. */
  onChange(handler: ObjectHandler<T>): void {
    this.handlers.push(handler);
  }

  /** Lists, then watches; resolves once the cache holds the first successful list. Idempotent. */
  start(): Promise<void> {
    if (this.started) return this.started;
    this.running = true;
    this.started = new Promise<void>((resolve) => {
      this.markSynced = resolve;
    });
    this.startInner();
    const resyncMs = this.options.resyncMs ?? 0;
    if (resyncMs > 0) {
      this.resyncTimer = setInterval(() => this.resync(), resyncMs);
      this.resyncTimer.unref();
    }
    return this.started;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.started = undefined; // a later start() (leadership regained) lists and watches again
    clearInterval(this.resyncTimer);
    clearTimeout(this.restartTimer);
    await this.inner.stop();
  }

  get(name: string, namespace?: string): T | undefined {
    return this.inner.get(name, namespace);
  }

  list(namespace?: string): readonly T[] {
    return this.inner.list(namespace);
  }

  /** Hands every cached object to the handlers again. */
  resync(): void {
    for (const object of this.inner.list())
      for (const handler of this.handlers) handler(object, { type: "resync" });
  }

  /** client-node fills the cache right after the list resolves, before its start() returns. */
  private startInner(): void {
    this.inner.start().then(
      () => {
        if (this.listedOnce) this.markSynced();
      },
      (error: unknown) => this.restartLater(error),
    );
  }

  private restartLater(error: unknown): void {
    if (!this.running) return;
    this.options.onError?.(error);
    const logger = this.options.logger ?? silentLogger;
    logger.warn("list/watch failed; restarting", {
      resource: this.resource.plural,
      error: error instanceof Error ? error.message : String(error),
    });
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (this.running) this.startInner();
    }, restartDelay(this.options.restartDelayMs));
    this.restartTimer.unref();
  }
}

function restartDelay(option: InformerOptions["restartDelayMs"]): number {
  return typeof option === "function" ? option() : (option ?? 1000);
}

function cacheKey(object: KubernetesObject): string {
  return `${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`;
}
