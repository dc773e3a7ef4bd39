import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { KubernetesObject } from "@kubernetes/client-node";
import { type ApiClient, isAlreadyExists, isConflict } from "./api-client.js";
import { type Logger, silentLogger } from "./logger.js";
import { LeaseResource } from "./resource.js";

export interface LeaderElectionOptions {
  namespace: string;
  /** The Lease's name; replicas of one controller share it. */
  name: string;
  /** Unique per process; defaults to hostname + random suffix. */
  identity?: string;
  /** How long a Lease holds without renewal before another replica may take it. */
  leaseDurationMs?: number;
  /** A leader that cannot renew for this long steps down (must be < leaseDurationMs). */
  renewDeadlineMs?: number;
  /** How often to try to acquire or renew. */
  retryPeriodMs?: number;
  logger?: Logger;
}

interface Lease extends KubernetesObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

export function defaultIdentity(): string {
  return `${hostname()}-${randomBytes(4).toString("hex")}`;
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go does it:
 * acquire when the Lease is free or expired, renew every retry period, step
 * down when renewals keep failing past the renew deadline, and release the
 * Lease on shutdown so a standby takes over at once. Writes carry the
 * resourceVersion they read, so two candidates never both win.
 * Expiry is judged on the local clock against renewTime (replicas are
 * assumed to have roughly synchronised clocks).
 */
export class LeaderElector {
  readonly identity: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly logger: Logger;
  private leading = false;
  private lastRenewal = 0;
  private reached = false;

  constructor(
    private readonly client: ApiClient,
    readonly options: LeaderElectionOptions,
  ) {
    this.identity = options.identity ?? defaultIdentity();
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? Math.round(this.leaseDurationMs * (2 / 3));
    this.retryPeriodMs = options.retryPeriodMs ?? Math.max(100, Math.round(this.leaseDurationMs / 7.5));
    this.logger = options.logger ?? silentLogger;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Whether the last acquire/renew attempt got an answer about the Lease (held by us or not). */
  get reachedLease(): boolean {
    return this.reached;
  }

  /**
   * Blocks until this process leads (true) or the signal aborts (false), then
   * keeps renewing in the background; `onLost` runs if leadership is lost.
   */
  async run(signal: AbortSignal, onLost: () => void): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) break;
      await sleep(this.retryPeriodMs, signal);
    }
    if (signal.aborted) return false;
    this.leading = true;
    this.lastRenewal = Date.now();
    this.logger.info("became leader", { lease: this.options.name, identity: this.identity });
    void this.renewLoop(signal, onLost);
    return true;
  }

  /** Gives the Lease up (if held) so another replica need not wait for it to expire. */
  async release(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    try {
      const lease = await this.client.find<Lease>(LeaseResource, this.options.namespace, this.options.name);
      if (!lease || lease.spec?.holderIdentity !== this.identity) return;
      // An empty holder is free to take (client-go does the same); some servers refuse nulls.
      const { acquireTime: _acquired, renewTime: _renewed, ...spec } = lease.spec;
      await this.client.replace(LeaseResource, {
        ...lease,
        spec: { ...spec, holderIdentity: "", leaseDurationSeconds: 1 },
      });
      this.logger.info("released leadership", { lease: this.options.name, identity: this.identity });
    } catch (error) {
      this.logger.warn("could not release the lease; it will expire", { error: String(error) });
    }
  }

  private async renewLoop(signal: AbortSignal, onLost: () => void): Promise<void> {
    while (!signal.aborted && this.leading) {
      await sleep(this.retryPeriodMs, signal);
      if (signal.aborted || !this.leading) return;
      if (await this.tryAcquireOrRenew()) {
        this.lastRenewal = Date.now();
      } else if (Date.now() - this.lastRenewal > this.renewDeadlineMs) {
        this.leading = false;
        this.logger.error("lost leadership: could not renew the lease in time", { lease: this.options.name });
        onLost();
        return;
      }
    }
  }

  /** One attempt; true when this process holds the Lease afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name } = this.options;
    const now = new Date();
    const durationSeconds = Math.max(1, Math.round(this.leaseDurationMs / 1000));
    try {
      const lease = await this.client.find<Lease>(LeaseResource, namespace, name);
      this.reached = true;
      if (!lease) {
        await this.client.create<Lease>(LeaseResource, namespace, {
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name, namespace },
          spec: {
            holderIdentity: this.identity,
            leaseDurationSeconds: durationSeconds,
            acquireTime: microTime(now),
            renewTime: microTime(now),
            leaseTransitions: 0,
          },
        });
        return true;
      }
      const spec = lease.spec ?? {};
      const holder = spec.holderIdentity ?? "";
      const mine = holder === this.identity;
      if (holder && !mine && !isExpired(spec, now)) return false;
      await this.client.replace<Lease>(LeaseResource, {
        ...lease,
        spec: {
          ...spec,
          holderIdentity: this.identity,
          leaseDurationSeconds: durationSeconds,
          acquireTime: mine ? spec.acquireTime : microTime(now),
          renewTime: microTime(now),
          leaseTransitions: (spec.leaseTransitions ?? 0) + (mine ? 0 : 1),
        },
      });
      return true;
    } catch (error) {
      // Another candidate wrote first: not an error, just not us this round.
      if (isConflict(error) || isAlreadyExists(error)) return false;
      this.reached = false;
      this.logger.warn("lease update failed", { lease: name, error: String(error) });
      return false;
    }
  }
}

function isExpired(spec: NonNullable<Lease["spec"]>, now: Date): boolean {
  if (!spec.renewTime) return true;
  const renewedAt = Date.parse(spec.renewTime);
  return Number.isNaN(renewedAt) || renewedAt + (spec.leaseDurationSeconds ?? 0) * 1000 < now.getTime();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
