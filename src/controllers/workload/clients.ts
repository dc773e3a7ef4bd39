import type { KubernetesObject } from "@kubernetes/client-node";
import type { Machine } from "../../api/machine.js";
import { type NodeSummary, summarizeNode, type WorkloadObservation } from "../../status/workload.js";
import { ApiClient } from "../runtime/api-client.js";
import { backoffDelay } from "../runtime/backoff.js";
import { SharedInformer } from "../runtime/informer.js";
import { type Logger, silentLogger } from "../runtime/logger.js";
import { type JoinTokenApi, joinTokenApi } from "./join-tokens.js";
import { loadWorkloadKubeConfig, type WorkloadKubeConfig } from "./kubeconfig-source.js";
import { NodeResource } from "./node-resource.js";
import type { WorkloadOverrides } from "./overrides.js";
import { type NodeRemoval, removeNodes } from "./remove-nodes.js";

export interface WorkloadClientsOptions {
  /** The management cluster's client (reads `<cluster>-kubeconfig`). */
  management: ApiClient;
  overrides?: WorkloadOverrides;
  /** At most this many workload clients (each one Node watch); further clusters are reported, not read. */
  maxClients?: number;
  /** A workload request without an answer for this long fails (the API is then reported unreachable). */
  requestTimeoutMs?: number;
  /** Backoff of reconnection attempts. */
  retry?: { baseMs: number; maxMs: number };
  /** Told when a Cluster's observation changed (Nodes, reachability): the cluster controller enqueues it. */
  onChange: (clusterKey: string) => void;
  logger?: Logger;
}

interface Entry {
  config: WorkloadKubeConfig;
  client: ApiClient;
  informer: SharedInformer<KubernetesObject>;
  observation: WorkloadObservation;
  failures: number;
  /** True from a successful list until the next failure. */
  listed: boolean;
  /** The Node summaries last handed out, to tell heartbeats from news. */
  lastNodesJson: string;
}

/**
 * One client and one Node watch per Cluster whose workload kubeconfig
 * exists, created lazily by `observe` (never awaited by reconciles), dropped
 * when the Cluster goes or its kubeconfig changes. A watch that fails marks
 * the API unreachable with the address and error, and is retried with
 * capped backoff by its informer; other clusters never wait on it.
 */
export class WorkloadClients {
  private readonly entries = new Map<string, Entry>();
  private readonly refreshing = new Map<string, Promise<void>>();
  private readonly problems = new Map<string, WorkloadObservation>();
  private readonly logger: Logger;
  private stopped = false;

  constructor(private readonly options: WorkloadClientsOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * What is known now of a Cluster's workload API, without waiting; starts
   * (or re-checks) its client in the background. Undefined: no kubeconfig
   * known for it (yet).
   */
  observe(cluster: { namespace: string; name: string }): WorkloadObservation | undefined {
    const key = `${cluster.namespace}/${cluster.name}`;
    this.refresh(key, cluster);
    return this.entries.get(key)?.observation ?? this.problems.get(key);
  }

  /** The live client of a reachable Cluster (for Node removal); undefined otherwise. */
  client(clusterKey: string): ApiClient | undefined {
    return this.entries.get(clusterKey)?.client;
  }

  /** Bootstrap tokens in the workload cluster's kube-system, while its API answers; undefined otherwise. */
  joinTokens(clusterKey: string): JoinTokenApi | undefined {
    const entry = this.entries.get(clusterKey);
    return entry?.observation.api === "reachable" ? joinTokenApi(entry.client) : undefined;
  }

  /** Cordons and deletes the Nodes of Machines about to lose their instances (bounded by timeoutMs). */
  removeNodes(clusterKey: string, machines: readonly Machine[], timeoutMs: number): Promise<NodeRemoval[]> {
    return removeNodes(
      {
        client: () =>
          this.entries.get(clusterKey)?.observation.api === "reachable" ? this.client(clusterKey) : undefined,
        observation: () => this.entries.get(clusterKey)?.observation,
      },
      machines,
      timeoutMs,
    );
  }

  /** The Cluster is gone: its watch stops and its client closes. */
  async drop(clusterKey: string): Promise<void> {
    this.problems.delete(clusterKey);
    const entry = this.entries.get(clusterKey);
    if (!entry) return;
    this.entries.delete(clusterKey);
    await entry.informer.stop();
    entry.client.close();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.entries.keys()].map((key) => this.drop(key)));
  }

  get size(): number {
    return this.entries.size;
  }

  private refresh(key: string, cluster: { namespace: string; name: string }): void {
    if (this.stopped || this.refreshing.has(key)) return;
    const run = this.refreshNow(key, cluster)
      .catch((error: unknown) => {
        // A broken kubeconfig is reported like an unreachable API: with the source and the error.
        this.report(key, { api: "unreachable", address: "", error: message(error), nodes: new Map() });
      })
      .finally(() => this.refreshing.delete(key));
    this.refreshing.set(key, run);
  }

  private async refreshNow(key: string, cluster: { namespace: string; name: string }): Promise<void> {
    const config = await loadWorkloadKubeConfig(
      this.options.management,
      cluster,
      this.options.overrides ?? new Map(),
    );
    const current = this.entries.get(key);
    if (!config) {
      if (current || this.problems.has(key)) {
        await this.drop(key);
        this.options.onChange(key);
      }
      return;
    }
    if (current?.config.fingerprint === config.fingerprint) return;
    if (current) await this.drop(key); // the Secret changed: a new client with the new credentials
    const limit = this.options.maxClients ?? 100;
    if (this.entries.size >= limit) {
      this.report(key, {
        api: "unreachable",
        address: config.address,
        error: `not read: ${limit} workload clients are open (--max-workload-clients)`,
        nodes: new Map(),
      });
      return;
    }
    // stop() (or another refresh) may have run while the Secret was read: start no watch nothing closes.
    if (this.stopped || this.entries.has(key)) return;
    this.problems.delete(key);
    this.start(key, config);
  }

  private start(key: string, config: WorkloadKubeConfig): void {
    const client = new ApiClient(config.kubeConfig, this.options.requestTimeoutMs ?? 10_000);
    const retry = this.options.retry ?? { baseMs: 1000, maxMs: 60_000 };
    const entry: Entry = {
      config,
      client,
      observation: { api: "connecting", address: config.address, nodes: new Map() },
      failures: 0,
      listed: false,
      lastNodesJson: "[]",
      informer: undefined as unknown as SharedInformer<KubernetesObject>,
    };
    entry.informer = new SharedInformer<KubernetesObject>(NodeResource, client, {
      logger: this.logger,
      // The delay before the informer's next attempt grows with each failure in a row.
      restartDelayMs: () => backoffDelay(entry.failures, { ...retry, jitter: 0.2 }),
      onListed: () => {
        entry.failures = 0;
        entry.listed = true;
        // client-node fills its cache right after the list resolves: read it on the next turn.
        setTimeout(() => this.updateNodes(key, entry), 0).unref();
      },
      onError: (error) => {
        entry.failures += 1;
        entry.listed = false;
        if (entry.observation.api === "unreachable" && entry.observation.error === message(error)) return;
        entry.observation = { ...entry.observation, api: "unreachable", error: message(error) };
        this.logger.warn("workload API unreachable", {
          cluster: key,
          address: config.address,
          error: message(error),
        });
        if (this.entries.get(key) === entry) this.options.onChange(key);
      },
    });
    entry.informer.onChange(() => this.updateNodes(key, entry));
    this.entries.set(key, entry);
    void entry.informer.start();
    this.options.onChange(key);
  }

  /** Rebuilds the Node map; tells the controller only of changes that matter (not heartbeats). */
  private updateNodes(key: string, entry: Entry): void {
    if (this.entries.get(key) !== entry) return;
    const nodes = new Map<string, NodeSummary>();
    for (const node of entry.informer.list()) {
      const summary = summarizeNode(node);
      if (summary) nodes.set(summary.providerID, summary.summary);
    }
    const json = JSON.stringify([...nodes].sort(([a], [b]) => (a < b ? -1 : 1)));
    const becameReachable = entry.listed && entry.observation.api !== "reachable";
    if (!becameReachable && json === entry.lastNodesJson) return;
    entry.lastNodesJson = json;
    entry.observation = entry.listed
      ? { api: "reachable", address: entry.config.address, nodes }
      : { ...entry.observation, nodes };
    this.options.onChange(key);
  }

  private report(key: string, observation: WorkloadObservation): void {
    const before = this.problems.get(key);
    this.problems.set(key, observation);
    if (before?.error !== observation.error) this.options.onChange(key);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
