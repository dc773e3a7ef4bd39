/**
 * Durable object storage on SQLite (WAL, synchronous=FULL: a write is on disk
 * before it is acknowledged). Every write takes the next resourceVersion from
 * one global counter and appends a watch event in the same transaction, so
 * versions are monotonic across restarts and watch history survives them.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import type { ObjectMeta as ApiObjectMeta, OwnerReference } from "../api/meta.js";
import { makeDataDirPrivate, touchPrivate } from "./private-files.js";

export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
};

/** Kubernetes object metadata: the fields the project reads, plus what only the server keeps. */
export interface ObjectMeta extends ApiObjectMeta {
  deletionGracePeriodSeconds?: number;
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

export type { OwnerReference };

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time?: string;
  fieldsType: "FieldsV1";
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoredEvent {
  rv: number;
  type: WatchEventType;
  key: string;
  namespace: string;
  name: string;
  object: KubeObject;
  /** The object before this change (MODIFIED/DELETED); used to notice selector exits. */
  previous?: KubeObject;
  at: number;
}

export interface Write {
  type: WatchEventType;
  key: string;
  object: KubeObject;
  previous?: KubeObject;
}

export class ObjectStore {
  private readonly db: Database.Database;
  private rv: number;
  private readonly statements;

  constructor(dataDir: string) {
    makeDataDirPrivate(dataDir);
    const file = join(dataDir, "objects.sqlite");
    touchPrivate(file);
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS objects (
        key TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
        rv INTEGER NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (key, namespace, name));
      CREATE TABLE IF NOT EXISTS events (
        rv INTEGER PRIMARY KEY, type TEXT NOT NULL, key TEXT NOT NULL,
        namespace TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL,
        previous TEXT, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    this.statements = {
      get: this.db.prepare("SELECT body FROM objects WHERE key = ? AND namespace = ? AND name = ?"),
      listAll: this.db.prepare("SELECT body FROM objects WHERE key = ? ORDER BY namespace, name"),
      listNamespace: this.db.prepare(
        "SELECT body FROM objects WHERE key = ? AND namespace = ? ORDER BY name",
      ),
      keys: this.db.prepare("SELECT DISTINCT key FROM objects"),
      upsert: this.db.prepare(
        "INSERT INTO objects (key, namespace, name, rv, body) VALUES (?, ?, ?, ?, ?) " +
          "ON CONFLICT (key, namespace, name) DO UPDATE SET rv = excluded.rv, body = excluded.body",
      ),
      remove: this.db.prepare("DELETE FROM objects WHERE key = ? AND namespace = ? AND name = ?"),
      appendEvent: this.db.prepare(
        "INSERT INTO events (rv, type, key, namespace, name, body, previous, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      setRv: this.db.prepare(
        "INSERT INTO meta (name, value) VALUES ('rv', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      ),
      getRv: this.db.prepare("SELECT value FROM meta WHERE name = 'rv'"),
      eventsSince: this.db.prepare("SELECT * FROM events WHERE at >= ? ORDER BY rv"),
      pruneEvents: this.db.prepare("DELETE FROM events WHERE at < ?"),
    };
    const row = this.statements.getRv.get() as { value: string } | undefined;
    // Start above 1 so a fresh store never hands out "0" or "1" (clients treat "0" as "any").
    this.rv = row ? Number(row.value) : 100;
  }

  get currentVersion(): number {
    return this.rv;
  }

  get(key: string, namespace: string, name: string): KubeObject | undefined {
    const row = this.statements.get.get(key, namespace, name) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as KubeObject) : undefined;
  }

  list(key: string, namespace?: string): KubeObject[] {
    const rows = (
      namespace === undefined
        ? this.statements.listAll.all(key)
        : this.statements.listNamespace.all(key, namespace)
    ) as { body: string }[];
    return rows.map((row) => JSON.parse(row.body) as KubeObject);
  }

  storedKeys(): string[] {
    return (this.statements.keys.all() as { key: string }[]).map((row) => row.key);
  }

  /** Commits writes atomically; stamps each object's resourceVersion; returns the events. */
  commit(writes: Write[]): StoredEvent[] {
    const now = Date.now();
    const run = this.db.transaction((batch: Write[]) => {
      const events: StoredEvent[] = [];
      let rv = this.rv;
      for (const write of batch) {
        rv += 1;
        const meta = write.object.metadata;
        const namespace = meta.namespace ?? "";
        const name = meta.name ?? "";
        const object: KubeObject = { ...write.object, metadata: { ...meta, resourceVersion: String(rv) } };
        const body = JSON.stringify(object);
        if (write.type === "DELETED") this.statements.remove.run(write.key, namespace, name);
        else this.statements.upsert.run(write.key, namespace, name, rv, body);
        const previous = write.previous ? JSON.stringify(write.previous) : null;
        this.statements.appendEvent.run(rv, write.type, write.key, namespace, name, body, previous, now);
        events.push({
          rv,
          type: write.type,
          key: write.key,
          namespace,
          name,
          object,
          previous: write.previous,
          at: now,
        });
      }
      this.statements.setRv.run(String(rv));
      return { events, rv };
    });
    const { events, rv } = run(writes);
    this.rv = rv;
    return events;
  }

  /** Watch history written at or after `sinceMs` (used to refill memory at startup). */
  eventsSince(sinceMs: number): StoredEvent[] {
    const rows = this.statements.eventsSince.all(sinceMs) as {
      rv: number;
      type: WatchEventType;
      key: string;
      namespace: string;
      name: string;
      body: string;
      previous: string | null;
      at: number;
    }[];
    return rows.map((row) => ({
      rv: row.rv,
      type: row.type,
      key: row.key,
      namespace: row.namespace,
      name: row.name,
      object: JSON.parse(row.body) as KubeObject,
      previous: row.previous ? (JSON.parse(row.previous) as KubeObject) : undefined,
      at: row.at,
    }));
  }

  pruneEventsBefore(ms: number): void {
    this.statements.pruneEvents.run(ms);
  }

  close(): void {
    this.db.close();
  }
}
