import { randomUUID } from "node:crypto";
import type { KubernetesObject } from "@kubernetes/client-node";
import { ClusterformError } from "../../errors.js";
import type { ReconcileMetrics, ReconcileOutcome, RuntimeMetrics } from "../../metrics/runtime-metrics.js";
import { type BackoffOptions, DEFAULT_BACKOFF } from "./backoff.js";
import type { ObjectChange, SharedInformer } from "./informer.js";
import { keyOf, type ObjectKey, parseKey } from "./keys.js";
import { type Logger, silentLogger, withFields } from "./logger.js";
import { WorkQueue } from "./work-queue.js";

/** What a reconcile asks for next: nothing (done until something changes) or another pass later. */
export interface ReconcileResult {
  requeueAfterMs?: number;
}

export interface ReconcileContext {
  /** Aborted when shutdown's grace period runs out: stop long work (e.g. SIGINT Terraform). */
  signal: AbortSignal;
  /** Carries controller, namespace, the key's name (under the controller's `keyField`) and reconcileID. */
  logger: Logger;
}

/**
 * Reconciles one key. Level-based: look at the current state of the named
 * object, never at the event that caused the call. Throw to retry with
 * backoff; throw a ClusterformError with retryable=false for a state that
 * retrying cannot fix (logged, not retried until the object changes).
 */
// biome-ignore lint/suspicious/noConfusingVoidType: lets reconcilers that never requeue simply return.
export type Reconciler = (key: ObjectKey, context: ReconcileContext) => Promise<ReconcileResult | void>;

/** Maps a changed object to the keys of the primary objects it affects. */
export type KeyMapper<T extends KubernetesObject = KubernetesObject> = (
  object: T,
  /** The change that brought it (absent where a mapper is called outside a watch). */
  change?: ObjectChange<T>,
) => readonly string[];

/** Whether a change is worth a reconcile (false: dropped before it reaches the queue). */
export type ChangePredicate<T extends KubernetesObject = KubernetesObject> = (
  object: T,
  change: ObjectChange<T>,
) => boolean;

export interface ControllerOptions {
  name: string;
  reconcile: Reconciler;
  /** Reconciles of different keys that may run at once (one key never runs twice at once). */
  maxConcurrent?: number;
  backoff?: BackoffOptions;
  logger?: Logger;
  /** The log field naming the reconciled object (default "name"; the cluster controller says "cluster"). */
  keyField?: string;
}

export interface ShutdownOptions {
  /** How long running reconciles may take to finish before their signal is aborted. */
  gracePeriodMs?: number;
  /** After the abort, how long to wait for them before giving up on them. */
  abortWaitMs?: number;
}

/** The primary kind maps to its own key; secondary kinds map through a function (Machine -> its MachineSet). */
export const ownKey: KeyMapper = (object) => [keyOf(object)];

/**
 * A named work loop: informers feed keys into a WorkQueue, up to
 * `maxConcurrent` workers call `reconcile`. Keys are dropped while stopped;
 * start() is called by the Manager once it leads and the caches are synced.
 */
export class Controller {
  readonly name: string;
  private queue: WorkQueue;
  private abort = new AbortController();
  private readonly workers: Promise<void>[] = [];
  private readonly logger: Logger;
  private running = false;
  private runtimeMetrics?: RuntimeMetrics;
  private reconcileMetrics?: ReconcileMetrics;
  /** Informers registered with watch(); the Manager starts them before start(). */
  readonly informers: SharedInformer[] = [];

  constructor(private readonly options: ControllerOptions) {
    this.name = options.name;
    this.logger = options.logger ?? silentLogger;
    this.queue = new WorkQueue(options.backoff ?? DEFAULT_BACKOFF);
  }

  /** Enqueues mapKeys(object) for every change the informer reports that passes `predicate`. */
  watch<T extends KubernetesObject>(
    informer: SharedInformer<T>,
    mapKeys: KeyMapper<T> = ownKey,
    predicate?: ChangePredicate<T>,
  ): this {
    this.informers.push(informer as unknown as SharedInformer);
    informer.onChange((object, change) => {
      if (!this.running) return;
      if (predicate && !predicate(object, change)) return;
      for (const key of mapKeys(object, change)) this.queue.add(key);
    });
    return this;
  }

  /** Enqueues a key by hand (tests, other controllers). */
  enqueue(key: string, afterMs = 0): void {
    if (this.running) this.queue.addAfter(key, afterMs);
  }

  /** Reports reconciles and this controller's queue (named after it) to `metrics`; the Manager calls it. */
  instrument(metrics: RuntimeMetrics): void {
    this.runtimeMetrics = metrics;
    this.reconcileMetrics = metrics.controller(this.name);
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts the workers and enqueues everything the informers already hold. */
  start(): void {
    if (this.running) return;
    // A stopped queue stays shut; a restart (leadership regained) gets fresh ones.
    this.queue = new WorkQueue(
      this.options.backoff ?? DEFAULT_BACKOFF,
      this.runtimeMetrics?.queue(this.name),
    );
    this.abort = new AbortController();
    this.running = true;
    for (const informer of this.informers) informer.resync();
    const count = Math.max(1, this.options.maxConcurrent ?? 1);
    for (let index = 0; index < count; index++) this.workers.push(this.work());
  }

  /** Stops taking keys, lets running reconciles finish, aborts them after the grace period. */
  async stop(options: ShutdownOptions = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.queue.shutDown();
    const finished = Promise.all(this.workers).then(() => true);
    const inTime = await Promise.race([finished, delay(options.gracePeriodMs ?? 30_000).then(() => false)]);
    if (!inTime) {
      this.logger.warn("reconciles still running after the grace period: aborting them", {
        controller: this.name,
      });
      this.abort.abort(new Error(`controller ${this.name} is shutting down`));
      await Promise.race([finished, delay(options.abortWaitMs ?? 10_000)]);
    }
    this.workers.length = 0;
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.reconcileKey(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async reconcileKey(key: string): Promise<void> {
    const started = performance.now();
    const ref = parseKey(key);
    const logger = withFields(this.logger, {
      controller: this.name,
      ...(ref.namespace ? { namespace: ref.namespace } : {}),
      [this.options.keyField ?? "name"]: ref.name,
      reconcileID: randomUUID(),
    });
    const finish = (outcome: ReconcileOutcome) =>
      this.reconcileMetrics?.reconciled(outcome, (performance.now() - started) / 1000);
    try {
      const result = await this.options.reconcile(ref, { signal: this.abort.signal, logger });
      this.queue.forget(key);
      if (result?.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
      finish(result?.requeueAfterMs !== undefined ? "requeue_after" : "success");
      logger.debug("reconciled", { ms: Math.round(performance.now() - started) });
    } catch (error) {
      finish("error");
      if (error instanceof ClusterformError && !error.retryable) {
        this.queue.forget(key);
        logger.error("reconcile failed; not retrying until the object changes", {
          reason: error.reason,
          error: error.message,
        });
        return;
      }
      const retryInMs = this.queue.addRateLimited(key);
      logger.warn("reconcile failed; retrying", {
        retryInMs,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
