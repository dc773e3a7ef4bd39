import { describe, expect, it } from "vitest";
import { CONTROL_PLANE_ENDPOINT_OUTPUT } from "../../../stacks/index.js";
import type { Machine } from "../../api/machine.js";
import { CLUSTER_NAME_LABEL } from "../../api/meta.js";
import {
  BOOTSTRAP_ANNOTATION,
  INIT_MACHINE_ANNOTATION,
  kubeconfigSecretName,
} from "../../bootstrap/index.js";
import { issueKubeconfig, reportBootstrap } from "./bootstrap-report.js";
import { machineBootstrapSecretName } from "./bootstrap-secrets.js";
import { bootstrapStep } from "./bootstrap-step.js";
import { isRetryable } from "./errors.js";
import { FakeClusterStore } from "./fake-store.js";
import type { ClusterScope } from "./scope.js";
import { computeStatuses } from "./status.js";
import type { SecretObject } from "./store.js";
import { awsMachine, testScope } from "./test-scope.js";
import { validate } from "./validate.js";

// The bootstrap step against the in-memory store: what it keeps, and that it never rewrites it.

const V = "1.31.2"; // ECDSA PKI: quick in unit tests
const now = new Date("2026-12-01T10:00:00Z");

function versioned(name: string, controlPlane: boolean): Machine {
  const m = awsMachine(name, { uid: `uid-${name}` });
  m.spec.versions = controlPlane ? { kubelet: V, controlPlane: V } : { kubelet: V };
  return m;
}

function setup(machines: Machine[], annotations?: Record<string, string>) {
  const scope = testScope(machines);
  scope.cluster.metadata.uid = "uid-demo";
  if (annotations) scope.cluster.metadata.annotations = annotations;
  const store = new FakeClusterStore(scope.cluster, machines);
  return { scope, store };
}

async function step(scope: ClusterScope, store: FakeClusterStore) {
  const validation = validate(scope);
  if (!validation.ok) throw new Error(JSON.stringify(validation.errors));
  return bootstrapStep(store, scope, validation.model, now);
}

const bootstrapCondition = (scope: ClusterScope) =>
  computeStatuses(scope, now).cluster.status.conditions?.find((c) => c.type === "Bootstrap");

const decoded = (store: FakeClusterStore, name: string, key: string) =>
  Buffer.from(store.secrets.get(name)?.data?.[key] ?? "", "base64").toString("utf8");

describe("bootstrapStep (fake store)", () => {
  it("stores the PKI, the token, the init machine and each Machine's data before any Terraform", async () => {
    const { scope, store } = setup([versioned("cp-1", true), versioned("w-1", false)]);
    const model = await step(scope, store);
    expect(model?.bootstrap).toEqual({ machines: ["cp-1", "w-1"], initMachine: "cp-1" });
    expect([...store.secrets.keys()].sort()).toEqual(
      [
        "demo-bootstrap-token",
        "demo-ca",
        "demo-etcd",
        "demo-proxy",
        "demo-sa",
        "cp-1-bootstrap",
        "w-1-bootstrap",
      ].sort(),
    );
    for (const name of ["demo-ca", "demo-etcd", "demo-proxy", "demo-sa"]) {
      const secret = store.secrets.get(name);
      expect(secret?.type).toBe("cluster.x-k8s.io/secret");
      expect(secret?.metadata.labels?.[CLUSTER_NAME_LABEL]).toBe("demo");
      expect(secret?.metadata.ownerReferences?.[0]?.uid).toBe("uid-demo");
    }
    expect(store.secrets.get("w-1-bootstrap")?.metadata.ownerReferences?.[0]?.uid).toBe("uid-w-1");
    expect(decoded(store, "w-1-bootstrap", "format")).toBe("cloud-config");
    // AWS: cloud-init renders it as jinja first (the kubelet's provider-id from instance data).
    expect(decoded(store, "w-1-bootstrap", "value")).toMatch(/^## template: jinja\n#cloud-config\n/);
    expect(store.cluster.metadata.annotations?.[INIT_MACHINE_ANNOTATION]).toBe("cp-1");
    expect(Object.keys(scope.bootstrap?.variables ?? {})).toHaveLength(2);
  });

  it("on the next pass reads everything back and writes nothing", async () => {
    const machines = [versioned("cp-1", true), versioned("w-1", false)];
    const { scope, store } = setup(machines);
    await step(scope, store);
    const first = { ...scope.bootstrap?.variables };
    store.takeWrites();
    const again = testScope(machines, { cluster: structuredClone(store.cluster) });
    await step(again, store);
    expect(store.takeWrites()).toEqual([]);
    expect(again.bootstrap?.variables).toEqual(first);
  });

  it("ignores a leftover <machine>-bootstrap of an earlier Machine of that name (not its owner)", async () => {
    const { scope, store } = setup([versioned("cp-1", true)]);
    await step(scope, store);
    const old = store.secrets.get(machineBootstrapSecretName("cp-1"));
    if (!old) throw new Error("no data stored");
    old.metadata.ownerReferences = [{ kind: "Machine", uid: "uid-of-a-deleted-machine", controller: true }];
    const again = testScope(scope.machines, { cluster: structuredClone(store.cluster) });
    // The new Machine's data cannot be created while the old Secret is there: retried, never overwritten.
    const failure = step(again, store);
    await expect(failure).rejects.toThrow(
      /Secret default\/cp-1-bootstrap is the bootstrap data of an earlier Machine default\/cp-1 \(uid uid-of-a-deleted-machine\), waiting for garbage collection/,
    );
    await expect(failure).rejects.toSatisfy((error) => isRetryable(error));
    expect(store.secrets.get(machineBootstrapSecretName("cp-1"))).toBe(old);
  });

  it("never overwrites a <machine>-bootstrap Secret clusterform did not create: a terminal error saying what to do", async () => {
    const { scope, store } = setup([versioned("cp-1", true)]);
    const foreign: SecretObject = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: machineBootstrapSecretName("cp-1"), labels: { [CLUSTER_NAME_LABEL]: "demo" } },
      data: { value: Buffer.from("someone else's").toString("base64") },
    };
    store.secrets.set(foreign.metadata.name, foreign);
    const failure = step(scope, store);
    await expect(failure).rejects.toThrow(
      /Machine default\/cp-1: Secret default\/cp-1-bootstrap exists and is not this Machine's bootstrap data .*kubectl delete secret -n default cp-1-bootstrap/,
    );
    await expect(failure).rejects.toSatisfy((error) => !isRetryable(error));
    expect(store.secrets.get(foreign.metadata.name)).toBe(foreign);
  });

  it("refuses a broken brought CA with an error naming the Secret", async () => {
    const { scope, store } = setup([versioned("cp-1", true)]);
    store.secrets.set("demo-ca", {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "demo-ca" },
      data: { "tls.crt": Buffer.from("not a certificate").toString("base64") },
    });
    await expect(step(scope, store)).rejects.toThrow(/Secret demo-ca/);
    expect(store.secrets.size).toBe(1);
  });

  it("reports a cluster without a control-plane Machine once, as a condition and a Warning Event", async () => {
    const { scope, store } = setup([versioned("w-1", false)]);
    expect(await step(scope, store)).toBeUndefined();
    expect(store.secrets.size).toBe(0);
    expect(bootstrapCondition(scope)).toMatchObject({ status: "False", reason: "NoControlPlane" });
    await reportBootstrap(store, scope);
    expect(store.events.map((e) => `${e.type} ${e.reason}`)).toEqual(["Warning NoControlPlane"]);
    scope.cluster.status = computeStatuses(scope, now).cluster.status;
    await reportBootstrap(store, scope);
    expect(store.events).toHaveLength(1);
  });

  it("leaves an opted-out cluster's model bare and stores nothing", async () => {
    const { scope, store } = setup([versioned("w-1", false)], { [BOOTSTRAP_ANNOTATION]: "disabled" });
    const model = await step(scope, store);
    expect(model?.bootstrap).toBeUndefined();
    expect(store.secrets.size).toBe(0);
    expect(bootstrapCondition(scope)).toMatchObject({ status: "False", reason: "BootstrapDisabled" });
  });

  it("writes <cluster>-kubeconfig once the stack has an endpoint, and not again while it is good", async () => {
    const { scope, store } = setup([versioned("cp-1", true)]);
    await step(scope, store);
    await issueKubeconfig(store, scope, now);
    expect(store.secrets.has(kubeconfigSecretName("demo"))).toBe(false); // no endpoint yet
    scope.outputs = { [CONTROL_PLANE_ENDPOINT_OUTPUT]: { value: "10.0.0.10", sensitive: false } };
    await issueKubeconfig(store, scope, now);
    expect(decoded(store, "demo-kubeconfig", "value")).toContain("server: https://10.0.0.10:6443");
    expect(store.secrets.get("demo-kubeconfig")?.metadata.ownerReferences?.[0]?.uid).toBe("uid-demo");
    store.takeWrites();
    await issueKubeconfig(store, scope, now);
    expect(store.takeWrites()).toEqual([]);
    expect(store.events.filter((e) => e.reason === "KubeconfigIssued")).toHaveLength(1);
  });

  it("uses a kubeconfig Secret the user brought as is: never re-issued, never a conflict", async () => {
    const { scope, store } = setup([versioned("cp-1", true)]);
    const brought = "apiVersion: v1\nkind: Config\n";
    store.secrets.set("demo-kubeconfig", {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "demo-kubeconfig", namespace: "default" },
      data: { value: Buffer.from(brought).toString("base64") },
    });
    await step(scope, store);
    scope.outputs = { [CONTROL_PLANE_ENDPOINT_OUTPUT]: { value: "10.0.0.10", sensitive: false } };
    store.takeWrites();
    await issueKubeconfig(store, scope, now);
    expect(store.takeWrites()).toEqual([]);
    expect(decoded(store, "demo-kubeconfig", "value")).toBe(brought);
  });
});
