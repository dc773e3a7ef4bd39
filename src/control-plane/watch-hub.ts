/**
 * Fan-out of committed changes to open watches, with a window of history so a
 * watch can resume from a recent resourceVersion instead of relisting.
 */
import type { StoredEvent } from "./store.js";

export interface Subscriber {
  key: string;
  namespace?: string;
  deliver(event: StoredEvent): void;
}

export const historyWindowMs = 15 * 60 * 1000;
const maxHistoryEvents = 200_000;

export class WatchHub {
  private history: StoredEvent[] = [];
  private readonly subscribers = new Set<Subscriber>();
  /** Every event with rv <= this may be missing from history (410 below it). */
  private compactedThrough: number;

  constructor(initial: StoredEvent[], currentVersion: number) {
    this.history = initial;
    this.compactedThrough = initial.length > 0 ? (initial[0]?.rv ?? currentVersion) - 1 : currentVersion;
  }

  get oldestResumableVersion(): number {
    return this.compactedThrough;
  }

  publish(events: StoredEvent[]): void {
    for (const event of events) {
      this.history.push(event);
      for (const subscriber of this.subscribers) {
        if (matchesScope(subscriber, event)) subscriber.deliver(event);
      }
    }
    this.trim(Date.now() - historyWindowMs);
  }

  /**
   * Subscribes and returns the history after `sinceVersion` for the same scope,
   * or undefined when that version is older than the kept history.
   */
  subscribe(subscriber: Subscriber, sinceVersion: number): StoredEvent[] | undefined {
    if (sinceVersion < this.compactedThrough) return undefined;
    this.subscribers.add(subscriber);
    return this.history.filter((event) => event.rv > sinceVersion && matchesScope(subscriber, event));
  }

  unsubscribe(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
  }

  /** Drops history older than `beforeMs` (also used by tests to force 410s). */
  trim(beforeMs: number): void {
    let drop = 0;
    while (
      drop < this.history.length &&
      ((this.history[drop]?.at ?? 0) < beforeMs || this.history.length - drop > maxHistoryEvents)
    ) {
      drop += 1;
    }
    if (drop === 0) return;
    this.compactedThrough = this.history[drop - 1]?.rv ?? this.compactedThrough;
    this.history = this.history.slice(drop);
  }

  /** Forgets all history up to `version` (tests force a 410 with it). */
  compactThrough(version: number): void {
    this.history = this.history.filter((event) => event.rv > version);
    this.compactedThrough = Math.max(this.compactedThrough, version);
  }

  get watcherCount(): number {
    return this.subscribers.size;
  }
}

function matchesScope(subscriber: Subscriber, event: StoredEvent): boolean {
  if (subscriber.key !== event.key) return false;
  return subscriber.namespace === undefined || subscriber.namespace === event.namespace;
}
