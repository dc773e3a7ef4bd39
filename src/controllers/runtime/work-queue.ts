import type { QueueMetrics } from "../../metrics/runtime-metrics.js";
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from "./backoff.js";

const noMetrics: QueueMetrics = { added() {}, depth() {}, waited() {}, worked() {}, retried() {} };

/**
 * A queue of keys in the client-go shape. Keys are deduplicated while they
 * wait; a key is handed to at most one worker at a time (per-key
 * serialisation); a key added while its worker is busy is queued again once
 * when the worker calls `done` (so the change is never lost and never run in
 * parallel). Failures are retried with capped exponential backoff.
 * Optional metrics follow client-go's: adds, depth, time waiting, time
 * worked, retries.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  /** Keys that need processing (waiting in `queue`, or re-added while processing). */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly delayed = new Map<string, { dueAt: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  /** When each dirty key was added, and when each processing key was taken (performance.now()). */
  private readonly addedAt = new Map<string, number>();
  private readonly takenAt = new Map<string, number>();
  private shuttingDown = false;

  constructor(
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
    private readonly metrics: QueueMetrics = noMetrics,
  ) {}

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.addedAt.set(key, performance.now());
    this.metrics.added();
    if (this.processing.has(key)) return;
    this.push(key);
  }

  /** Adds the key after `delayMs`; an earlier pending add for the same key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const dueAt = Date.now() + delayMs;
    const pending = this.delayed.get(key);
    if (pending && pending.dueAt <= dueAt) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.delayed.set(key, { dueAt, timer });
  }

  /** Adds the key after the backoff its failure count calls for; returns that delay. */
  addRateLimited(key: string): number {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    this.metrics.retried();
    const delay = backoffDelay(failures, this.backoff);
    this.addAfter(key, delay);
    return delay;
  }

  /** Clears the key's failure count (after a success or a terminal error). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** The next key to process, or undefined once the queue is shut down. */
  get(): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) return Promise.resolve(this.take(key));
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The worker finished `key`; if it was added meanwhile, it is queued again. */
  done(key: string): void {
    const takenAt = this.takenAt.get(key);
    if (takenAt !== undefined) this.metrics.worked((performance.now() - takenAt) / 1000);
    this.takenAt.delete(key);
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) this.push(key);
  }

  /** Stops handing out keys: waiting and future `get` calls answer undefined. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.queue.length = 0;
    this.dirty.clear();
    this.addedAt.clear();
    this.metrics.depth(0);
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }

  get length(): number {
    return this.queue.length;
  }

  get busy(): number {
    return this.processing.size;
  }

  private take(key: string): string {
    const now = performance.now();
    this.metrics.waited((now - (this.addedAt.get(key) ?? now)) / 1000);
    this.addedAt.delete(key);
    this.takenAt.set(key, now);
    this.dirty.delete(key);
    this.processing.add(key);
    this.metrics.depth(this.queue.length);
    return key;
  }

  private push(key: string): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.take(key));
    else this.queue.push(key);
    this.metrics.depth(this.queue.length);
  }
}
