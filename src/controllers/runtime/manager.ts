import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { RuntimeMetrics } from "../../metrics/runtime-metrics.js";
import { ApiClient } from "./api-client.js";
import type { Controller, ShutdownOptions } from "./controller.js";
import { SharedInformer } from "./informer.js";
import { type LeaderElectionOptions, LeaderElector } from "./leader-election.js";
import { type Logger, silentLogger } from "./logger.js";
import type { ResourceRef } from "./resource.js";
import { CONTROLLER_USER_AGENT, withUserAgent } from "./user-agent.js";

export interface ManagerOptions {
  kubeConfig: KubeConfig;
  /** Watch and reconcile one namespace; all namespaces when undefined. */
  namespace?: string;
  /** Lease-based leader election; false runs unconditionally (single replica, tests). */
  leaderElection: Omit<LeaderElectionOptions, "logger"> | false;
  /** Informer resync period (default 5 minutes; 0 = never). */
  resyncMs?: number;
  shutdown?: ShutdownOptions;
  /** Called when leadership is lost after the controllers stopped; a process usually exits here. */
  onLostLeadership?: () => void;
  logger?: Logger;
}

/**
 * Owns what controllers share: one ApiClient, one informer per resource, the
 * leader election. Controllers only run while this process leads; informers
 * start with them, so a standby replica holds no watches. Each Manager has
 * its own metrics registry (tests and several managers never collide).
 */
export class Manager {
  readonly client: ApiClient;
  readonly logger: Logger;
  /** This manager's Prometheus registry: the runtime's metrics, and any a controller adds. */
  readonly registry = new Registry();
  readonly metrics = new RuntimeMetrics(this.registry);
  private readonly informers = new Map<string, SharedInformer>();
  private readonly controllers: Controller[] = [];
  private readonly stopHooks: (() => Promise<void>)[] = [];
  private readonly elector?: LeaderElector;
  private readonly stopping = new AbortController();
  private started = false;

  constructor(private readonly options: ManagerOptions) {
    this.client = new ApiClient(withUserAgent(options.kubeConfig, CONTROLLER_USER_AGENT));
    this.logger = options.logger ?? silentLogger;
    if (options.leaderElection) {
      this.elector = new LeaderElector(this.client, { ...options.leaderElection, logger: this.logger });
      this.metrics.leading(options.leaderElection.name, false);
    }
  }

  get namespace(): string | undefined {
    return this.options.namespace;
  }

  get identity(): string | undefined {
    return this.elector?.identity;
  }

  /** True while controllers may run: leading, or no leader election. */
  get isLeader(): boolean {
    return this.elector ? this.elector.isLeader : this.started;
  }

  /**
   * For /readyz: the informers have synced and the controllers run; or, for
   * a standby replica (which by design holds no caches), the Lease was
   * reached on the last attempt, so it is able to take over.
   */
  get isReady(): boolean {
    if (this.started) return true;
    return this.elector !== undefined && !this.elector.isLeader && this.elector.reachedLease;
  }

  /** The shared informer (cache) for a resource, created on first use. */
  informer<T extends KubernetesObject = KubernetesObject>(resource: ResourceRef): SharedInformer<T> {
    const id = `${resource.group}/${resource.version}/${resource.plural}`;
    let informer = this.informers.get(id);
    if (!informer) {
      informer = new SharedInformer(resource, this.client, {
        namespace: resource.namespaced ? this.options.namespace : undefined,
        resyncMs: this.options.resyncMs ?? 300_000,
        logger: this.logger,
      });
      this.informers.set(id, informer);
    }
    return informer as unknown as SharedInformer<T>;
  }

  /** Runs when the controllers stop (shutdown or lost leadership): for watches a controller owns itself. */
  onStop(hook: () => Promise<void>): this {
    this.stopHooks.push(hook);
    return this;
  }

  add(controller: Controller): this {
    controller.instrument(this.metrics);
    this.controllers.push(controller);
    return this;
  }

  /**
   * Waits for leadership (if elected), starts the informers, waits for their
   * first list, then starts every controller. Resolves once they run, or
   * when stop() is called first.
   */
  async start(): Promise<void> {
    if (this.elector) {
      const leading = await this.elector.run(this.stopping.signal, () => void this.lostLeadership());
      if (!leading) return;
      this.metrics.leading(this.elector.options.name, true);
    }
    await Promise.all([...this.informers.values()].map((informer) => informer.start()));
    if (this.stopping.signal.aborted) return;
    this.started = true;
    for (const controller of this.controllers) controller.start();
    this.logger.info("controllers started", { controllers: this.controllers.map((c) => c.name).join(",") });
  }

  /** Graceful shutdown: controllers stop taking work and drain, informers stop, the Lease is released. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.stopWork();
    await this.elector?.release();
    if (this.elector) this.metrics.leading(this.elector.options.name, false);
    this.client.close();
  }

  private async stopWork(): Promise<void> {
    await Promise.all(this.controllers.map((controller) => controller.stop(this.options.shutdown)));
    await Promise.all([...this.informers.values()].map((informer) => informer.stop()));
    await Promise.all(this.stopHooks.map((hook) => hook()));
    this.started = false;
  }

  private async lostLeadership(): Promise<void> {
    if (this.elector) this.metrics.leading(this.elector.options.name, false);
    await this.stopWork();
    this.options.onLostLeadership?.();
  }
}
