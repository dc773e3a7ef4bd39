import { randomBytes } from "node:crypto";
import type { KubernetesObject } from "@kubernetes/client-node";
import { type ApiClient, isNotFound } from "../runtime/api-client.js";
import { type Logger, silentLogger } from "../runtime/logger.js";
import { EventResource } from "../runtime/resource.js";

export type EventType = "Normal" | "Warning";

interface Recorded {
  name: string;
  namespace: string;
  count: number;
}

const MAX_REMEMBERED = 4096;
const MAX_MESSAGE = 1024;

/**
 * Writes v1 Events about objects (what `kubectl describe` shows). A repeat of
 * the same object, type, reason and message bumps `count` and
 * `lastTimestamp` on the existing Event instead of creating another.
 * Recording never fails the caller: a lost Event is logged, not thrown.
 * Messages must not carry secrets (callers pass names and summaries).
 */
export class EventRecorder {
  private readonly recent = new Map<string, Recorded>();

  constructor(
    private readonly client: ApiClient,
    private readonly component: string,
    private readonly logger: Logger = silentLogger,
  ) {}

  async record(object: KubernetesObject, type: EventType, reason: string, message: string): Promise<void> {
    const meta = object.metadata ?? {};
    const namespace = meta.namespace ?? "default";
    const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 3)}...` : message;
    const key = [meta.uid ?? `${namespace}/${meta.name}`, type, reason, text].join("\u0000");
    const now = new Date().toISOString();
    try {
      const previous = this.recent.get(key);
      if (previous && (await this.bump(previous, now))) return;
      const name = `${meta.name ?? "object"}.${randomBytes(8).toString("hex")}`;
      await this.client.create(EventResource, namespace, {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          name: meta.name,
          namespace: meta.namespace,
          uid: meta.uid,
          resourceVersion: meta.resourceVersion,
        },
        reason,
        message: text,
        type,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component: this.component },
        reportingComponent: this.component,
      } as KubernetesObject);
      this.remember(key, { name, namespace, count: 1 });
    } catch (error) {
      this.logger.warn("could not record event", { reason, object: meta.name, error: String(error) });
    }
  }

  normal(object: KubernetesObject, reason: string, message: string): Promise<void> {
    return this.record(object, "Normal", reason, message);
  }

  warning(object: KubernetesObject, reason: string, message: string): Promise<void> {
    return this.record(object, "Warning", reason, message);
  }

  /** False when the earlier Event is gone (expired or deleted): the caller creates a new one. */
  private async bump(previous: Recorded, now: string): Promise<boolean> {
    try {
      previous.count += 1;
      await this.client.patch(EventResource, previous.namespace, previous.name, "merge", {
        count: previous.count,
        lastTimestamp: now,
      });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  private remember(key: string, recorded: Recorded): void {
    if (this.recent.size >= MAX_REMEMBERED) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
    this.recent.set(key, recorded);
  }
}
