import type { Cluster } from "../../api/cluster.js";
import type { Machine } from "../../api/machine.js";
import { CLUSTER_NAME_LABEL } from "../../api/meta.js";
import {
  type BootstrapChanges,
  type BootstrapStore,
  CLUSTER_SECRET_TYPE,
  checkPkiSecret,
  INIT_MACHINE_ANNOTATION,
  KUBECONFIG_SECRET_KEY,
  kubeconfigSecretName,
  pkiSecretName,
  pkiToSecrets,
  type StoredBootstrap,
  type StoredToken,
} from "../../bootstrap/index.js";
import { PKI_PARTS, type PkiPart } from "../../bootstrap/pki-secrets.js";
import { UnwatchedInputError } from "../../errors.js";
import type { ClusterStore, SecretObject } from "./store.js";

/**
 * The controller's BootstrapStore: the cluster's bootstrap material as
 * Secrets in the Cluster's namespace (Cluster API's names and type), the init
 * machine as an annotation on the Cluster. Generated material is created,
 * never replaced: a Secret that exists is used as it is (a user's own CA), and
 * a Machine's `<machine>-bootstrap` is written once.
 */

export const MACHINE_BOOTSTRAP_SUFFIX = "-bootstrap";
export const BOOTSTRAP_FORMAT = "cloud-config";
const TOKEN_SUFFIX = "-bootstrap-token";

export function machineBootstrapSecretName(machine: string): string {
  return `${machine}${MACHINE_BOOTSTRAP_SUFFIX}`;
}

export function tokenSecretName(cluster: string): string {
  return `${cluster}${TOKEN_SUFFIX}`;
}

/** A concurrent writer created a Secret this pass meant to create: the next pass reads it (retryable). */
export class BootstrapSecretRaceError extends Error {
  constructor(name: string) {
    super(`Secret ${name} appeared while clusterform was creating it; reading it on the next pass`);
    this.name = "BootstrapSecretRaceError";
  }
}

export class SecretBootstrapStore implements BootstrapStore {
  private readonly namespace: string;
  private readonly clusterName: string;

  constructor(
    private readonly store: ClusterStore,
    private readonly cluster: Cluster,
    /** The Machines that may be bootstrapped, by name (their uids own their data). */
    private readonly machines: ReadonlyMap<string, Machine>,
    private readonly now: Date = new Date(),
  ) {
    this.namespace = cluster.metadata.namespace ?? "default";
    this.clusterName = cluster.metadata.name ?? "";
  }

  /** After load(): `<cluster>-kubeconfig` exists and is not the Cluster's (never re-issued). */
  kubeconfigBrought = false;

  async load(): Promise<StoredBootstrap> {
    const [pki, token, machineData, kubeconfig] = await Promise.all([
      this.loadPki(),
      this.loadToken(),
      this.loadMachineData(),
      this.store.getSecret(this.namespace, kubeconfigSecretName(this.clusterName)),
    ]);
    const recorded = this.cluster.metadata.annotations?.[INIT_MACHINE_ANNOTATION];
    const kept = decoded(kubeconfig)[KUBECONFIG_SECRET_KEY];
    // Like a brought CA, a kubeconfig Secret the Cluster does not control is the user's: used as is.
    this.kubeconfigBrought =
      kubeconfig !== undefined &&
      !kubeconfig.metadata.ownerReferences?.some(
        (ref) => ref.controller === true && ref.uid === this.cluster.metadata.uid,
      );
    return {
      pki,
      ...(recorded ? { initMachine: recorded } : {}),
      ...(token ? { token } : {}),
      machineData,
      ...(kept ? { kubeconfig: kept } : {}),
    };
  }

  /** PKI first (the data refers to it), then the token, the init record, the data; kubeconfig last. */
  async save(changes: BootstrapChanges): Promise<void> {
    for (const secret of pkiToSecrets(this.clusterName, this.namespace, changes.pki))
      await this.create(this.cluster, secret);
    if (changes.token) await this.store.writeClusterSecret(this.cluster, this.tokenSecret(changes.token));
    if (changes.initMachine)
      await this.store.annotateCluster(this.cluster, INIT_MACHINE_ANNOTATION, changes.initMachine);
    for (const [name, value] of changes.machineData) {
      const machine = this.machines.get(name);
      if (!machine) continue;
      const data = { value: base64(value), format: base64(BOOTSTRAP_FORMAT) };
      await this.create(machine, this.secret(machineBootstrapSecretName(name), data));
    }
    if (changes.kubeconfig) {
      const data = { [KUBECONFIG_SECRET_KEY]: base64(changes.kubeconfig) };
      await this.store.writeClusterSecret(
        this.cluster,
        this.secret(kubeconfigSecretName(this.clusterName), data),
      );
    }
  }

  /** Each PKI Secret that exists, checked; every problem of every Secret reported at once. */
  private async loadPki(): Promise<StoredBootstrap["pki"]> {
    const pki: StoredBootstrap["pki"] = {};
    const problems: string[] = [];
    await Promise.all(
      PKI_PARTS.map(async (part: PkiPart) => {
        const secret = await this.store.getSecret(this.namespace, pkiSecretName(this.clusterName, part));
        if (!secret) return;
        const checked = checkPkiSecret(part, secret, this.now);
        problems.push(...checked.problems);
        if (!checked.pair) return;
        if (part === "serviceAccount")
          pki.serviceAccount = { publicKey: checked.pair.cert, key: checked.pair.key };
        else pki[part] = checked.pair;
      }),
    );
    if (problems.length > 0) {
      throw new UnwatchedInputError(
        `Cluster ${this.namespace}/${this.clusterName}: the PKI Secrets cannot be used: ${problems.sort().join("; ")}`,
        problems,
      );
    }
    return pki;
  }

  private async loadToken(): Promise<StoredToken | undefined> {
    const data = decoded(await this.store.getSecret(this.namespace, tokenSecretName(this.clusterName)));
    const expires = Date.parse(data.expiration ?? "");
    if (!data.token || !data.ttl || Number.isNaN(expires)) return undefined;
    return { token: data.token, ttl: data.ttl, expires: new Date(expires) };
  }

  /** Kept data of the current Machines only: a leftover Secret of an earlier Machine of that name is not theirs. */
  private async loadMachineData(): Promise<Map<string, string>> {
    const data = new Map<string, string>();
    for (const secret of await this.store.listClusterSecrets(this.namespace, this.clusterName)) {
      const name = secret.metadata.name;
      if (!name.endsWith(MACHINE_BOOTSTRAP_SUFFIX)) continue;
      const machine = this.machines.get(name.slice(0, -MACHINE_BOOTSTRAP_SUFFIX.length));
      const owner = secret.metadata.ownerReferences?.find((ref) => ref.controller)?.uid;
      if (!machine || owner === undefined || owner !== ownerUid(machine)) continue;
      const value = decoded(secret).value;
      if (value) data.set(machine.metadata.name ?? "", value);
    }
    return data;
  }

  private tokenSecret(token: StoredToken): SecretObject {
    const data = { token: token.token, ttl: token.ttl, expiration: token.expires.toISOString() };
    return this.secret(
      tokenSecretName(this.clusterName),
      Object.fromEntries(Object.entries(data).map(([key, value]) => [key, base64(value)])),
    );
  }

  private secret(name: string, data: Record<string, string>): SecretObject {
    return {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name, namespace: this.namespace, labels: { [CLUSTER_NAME_LABEL]: this.clusterName } },
      type: CLUSTER_SECRET_TYPE,
      data,
    };
  }

  private async create(owner: Cluster | Machine, secret: SecretObject): Promise<void> {
    if (await this.store.createSecret(owner, secret)) return;
    const name = secret.metadata.name;
    if (owner.kind === "Machine") await this.explainTakenName(owner as Machine, name);
    throw new BootstrapSecretRaceError(name);
  }

  /**
   * `<machine>-bootstrap` exists but was not loaded as this Machine's: an
   * earlier Machine's leftover (retried until garbage collection takes it),
   * or a Secret clusterform did not create (never overwritten: terminal).
   */
  private async explainTakenName(machine: Machine, name: string): Promise<void> {
    const existing = await this.store.getSecret(this.namespace, name);
    const controller = existing?.metadata.ownerReferences?.find((ref) => ref.controller);
    if (!existing || controller?.uid === ownerUid(machine)) return;
    const label = `${this.namespace}/${machine.metadata.name}`;
    const remedy = `delete it (kubectl delete secret -n ${this.namespace} ${name}) to let Machine ${label} be bootstrapped`;
    if (controller?.kind === "Machine")
      throw new BootstrapSecretTakenError(
        `Secret ${this.namespace}/${name} is the bootstrap data of an earlier Machine ${label} (uid ${controller.uid}), waiting for garbage collection; retrying; if it stays, ${remedy}`,
      );
    throw new UnwatchedInputError(
      `Machine ${label}: Secret ${this.namespace}/${name} exists and is not this Machine's bootstrap data (clusterform never overwrites a Secret it did not create); ${remedy}, or rename the Machine`,
    );
  }
}

/** An earlier same-named Machine's bootstrap Secret is still there (retryable: garbage collection removes it). */
export class BootstrapSecretTakenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BootstrapSecretTakenError";
  }
}

/** The uid a Secret owned by `machine` names (the fake store in unit tests has no uids). */
function ownerUid(machine: Machine): string {
  return machine.metadata.uid ?? `Machine/${machine.metadata.name}`;
}

function decoded(secret: SecretObject | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret?.data ?? {}))
    out[key] = Buffer.from(value, "base64").toString("utf8");
  return out;
}

function base64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}
