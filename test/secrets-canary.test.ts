import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubernetesObject } from "@kubernetes/client-node";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from "vitest";
import { parse as parseYaml } from "yaml";
import { KubeClusterStore } from "../src/controllers/cluster/kube-store.js";
import { outputsSecret } from "../src/controllers/cluster/outputs-secret.js";
import { loadScope } from "../src/controllers/cluster/scope.js";
import { validate } from "../src/controllers/cluster/validate.js";
import { ApiClient } from "../src/controllers/runtime/api-client.js";
import { SecretResource } from "../src/controllers/runtime/resource.js";
import { CONTROLLER_USER_AGENT, withUserAgent } from "../src/controllers/runtime/user-agent.js";
import { EventRecorder } from "../src/controllers/shared/events.js";
import { ClusterResource } from "../src/controllers/shared/resources.js";
import { StackCache } from "../src/converge/stack-cache.js";
import { OutputsSecretConflictError } from "../src/errors.js";
import { listAccessKeys } from "../src/sandbox/iam.js";
import { sandboxAwsEnv } from "../src/sandbox/moto.js";
import { awsClusterYaml, awsMachineYaml } from "./helpers/aws-manifests.js";
import { REPO_ROOT, runSandboxCli } from "./helpers/cli.js";
import { eventually, startTestControlPlane, type TestControlPlane } from "./helpers/control-plane.js";
import { type ControllerHarness, capturingLogger, startControllers } from "./helpers/controllers.js";

// Canary values planted where secrets enter clusterform (the provider's
// credentials, a sensitive Terraform output, a vSphere credentials Secret)
// and looked for everywhere people and tools can read: objects and their
// status, Events, ConfigMaps, other Secrets, controller logs, the synthesized
// JSON, the applied record and the plan as `clusterform plan show` prints it.
// Terraform runs: plan + show, apply, plan + show (after the apply, when the
// state holds the secret key).
const endpoint = inject("awsEndpoint");
const mirror = inject("providerMirror");
const terraformBin = inject("terraformBin");
const NS = "secrets-e2e";
const UNWATCHED_NS = "secrets-unwatched";
const CLUSTER = "vault";

const canary = (what: string) => `canary-${what}-${randomBytes(12).toString("hex")}`;
const PROVIDER_SECRET_KEY = canary("aws-secret-access-key");
const PROVIDER_SESSION_TOKEN = canary("aws-session-token");
const VSPHERE_USER = canary("vsphere-user");
const VSPHERE_PASSWORD = canary("vsphere-password");

let cp: TestControlPlane;
let controllers: ControllerHarness | undefined;
const logLines: string[] = [];

/** Every line every controller logs, at every level, fields included. */
const logger = capturingLogger(logLines);

interface ClusterJson {
  metadata: { uid?: string };
  status?: { plan?: { id: string; state: string }; outputs?: Record<string, string> };
}

// The access-key extension and the endpoint mode are the provider spec's last fields, after the
// helper's networkSpec. Bootstrapped (m1 is the control plane), so the cluster's PKI, bootstrap token
// and kubeconfig are canaries too; the init machine's address is the endpoint (no load balancer).
const clusterYaml = `${awsClusterYaml({
  name: CLUSTER,
  namespace: NS,
  net: "10.7",
  bootstrap: true,
  annotations: { "clusterform.io/apply-policy": "manual" },
})}      cloudCredentials: {createAccessKey: true}
      controlPlaneEndpoint: {type: InitMachine}
`;
const controlPlaneYaml = `${awsMachineYaml({ name: "m1", namespace: NS, cluster: CLUSTER })}  versions: {kubelet: "1.13.6", controlPlane: "1.13.6"}
`;

const getCluster = async (): Promise<ClusterJson> =>
  (await cp.client.get<KubernetesObject>(ClusterResource, NS, CLUSTER)) as ClusterJson;
const waitForPlan = async (state: string, notId?: string): Promise<ClusterJson> =>
  (await eventually(
    async () => {
      const cluster = await getCluster();
      const plan = cluster.status?.plan;
      return plan?.state === state && plan.id !== notId ? cluster : undefined;
    },
    `a plan in state ${state} other than ${notId}`,
    300_000,
  )) as ClusterJson;
const planShow = async (): Promise<string> => {
  const result = await execa(
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "src/cli/main.ts"), "plan", "show", CLUSTER, "-n", NS],
    { cwd: REPO_ROOT, reject: false, stdin: "ignore", env: { KUBECONFIG: cp.kubeconfigPath } },
  );
  expect(result.exitCode, result.stderr).toBe(0);
  return `${result.stdout}\n${result.stderr}`;
};
const kubectlJson = (args: string[]) => cp.kubectlOk([...args, "-o", "json"]);
const base64 = (text: string) => Buffer.from(text).toString("base64");

beforeAll(async () => {
  cp = await startTestControlPlane();
  await cp.kubectlOk(["create", "namespace", NS]);
  await cp.kubectlOk(["create", "namespace", UNWATCHED_NS]);
  controllers = await startControllers({
    cp,
    namespace: NS,
    endpoint,
    providerMirror: mirror,
    logger,
    // moto accepts any credentials: the canaries are what Terraform's AWS provider signs with.
    converge: {
      env: {
        ...process.env,
        ...sandboxAwsEnv(endpoint),
        AWS_SECRET_ACCESS_KEY: PROVIDER_SECRET_KEY,
        AWS_SESSION_TOKEN: PROVIDER_SESSION_TOKEN,
      },
    },
  });
});

afterAll(async () => {
  await controllers?.stop();
  await cp?.stop();
});

const secretValue = async (name: string, key: string): Promise<string> => {
  const encoded = await cp.kubectlOk(["get", "secret", name, "-n", NS, "-o", `jsonpath={.data.${key}}`]);
  const value = Buffer.from(encoded, "base64").toString("utf8");
  expect(value, `Secret ${name} key ${key}`).not.toBe("");
  return value;
};

/** A PEM's middle base64 line: unique to the key, and found even where the PEM is JSON-escaped. */
const pemLine = (pem: string): string => {
  const lines = pem.split("\n").filter((line) => /^[A-Za-z0-9+/]{64}$/.test(line));
  expect(lines.length, "PEM body lines").toBeGreaterThan(2);
  return lines[Math.floor(lines.length / 2)] ?? "";
};

/** The cluster's private keys, bootstrap token and kubeconfig client key, and which Secrets may hold each. */
async function bootstrapCanaries(): Promise<{
  canaries: Record<string, string>;
  holders: Record<string, { value: string; allowed: string[] }>;
}> {
  const keyOf = (secret: string) => secretValue(secret, "tls\\.key");
  const initData = `${NS}/m1-bootstrap`;
  const pki = {
    "cluster CA key": { value: pemLine(await keyOf(`${CLUSTER}-ca`)), secret: `${CLUSTER}-ca` },
    "etcd CA key": { value: pemLine(await keyOf(`${CLUSTER}-etcd`)), secret: `${CLUSTER}-etcd` },
    "front-proxy CA key": { value: pemLine(await keyOf(`${CLUSTER}-proxy`)), secret: `${CLUSTER}-proxy` },
    "service-account key": { value: pemLine(await keyOf(`${CLUSTER}-sa`)), secret: `${CLUSTER}-sa` },
  };
  const token = await secretValue(`${CLUSTER}-bootstrap-token`, "token");
  expect(token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
  const kubeconfig = parseYaml(await secretValue(`${CLUSTER}-kubeconfig`, "value")) as {
    users: { user: { "client-key-data": string } }[];
  };
  const clientKeyData = kubeconfig.users[0]?.user["client-key-data"] ?? "";
  const clientKey = pemLine(Buffer.from(clientKeyData, "base64").toString("utf8"));
  const holders: Record<string, { value: string; allowed: string[] }> = {
    "bootstrap token": { value: token, allowed: [`${NS}/${CLUSTER}-bootstrap-token`, initData] },
    "kubeconfig client key": { value: clientKey, allowed: [`${NS}/${CLUSTER}-kubeconfig`] },
  };
  for (const [name, { value, secret }] of Object.entries(pki))
    holders[name] = { value, allowed: [`${NS}/${secret}`, initData] };
  const canaries = Object.fromEntries(Object.entries(holders).map(([name, { value }]) => [name, value]));
  return { canaries: { ...canaries, "kubeconfig client key data": clientKeyData }, holders };
}

describe("secrets stay secret", () => {
  it("puts the generated secret access key only in <cluster>-outputs, and no credential anywhere people read", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], [clusterYaml, controlPlaneYaml].join("---\n"));
    const held = await waitForPlan("Pending");
    const firstId = held.status?.plan?.id ?? "";
    const firstPlanText = await planShow();
    expect(firstPlanText).toContain("aws_iam_access_key.cloud_credentials will be created");
    await cp.kubectlOk(["annotate", "cluster", CLUSTER, "-n", NS, `clusterform.io/approve-plan=${firstId}`]);
    const applied = await waitForPlan("Applied");
    expect(applied.status?.plan?.id).toBe(firstId);

    // The Secret: Opaque, labelled, controlled by the Cluster, holding the key Terraform created.
    const secret = JSON.parse(await kubectlJson(["get", "secret", `${CLUSTER}-outputs`, "-n", NS])) as {
      type: string;
      metadata: { labels?: Record<string, string>; ownerReferences?: Record<string, unknown>[] };
      data: Record<string, string>;
    };
    expect(secret.type).toBe("Opaque");
    expect(secret.metadata.labels?.["clusterform.io/cluster"]).toBe(CLUSTER);
    expect(secret.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: "Cluster",
        name: CLUSTER,
        uid: applied.metadata.uid,
        controller: true,
      }),
    ]);
    expect(Object.keys(secret.data)).toEqual(["cloud_secret_access_key"]);
    const generatedKey = Buffer.from(secret.data.cloud_secret_access_key ?? "", "base64").toString("utf8");
    expect(generatedKey.length).toBeGreaterThanOrEqual(20);
    const workDir = join(controllers?.stateDir ?? "", NS, CLUSTER);
    const fromTerraform = await execa(terraformBin, ["output", "-raw", "cloud_secret_access_key"], {
      cwd: workDir,
      env: { CHECKPOINT_DISABLE: "1" },
    });
    expect(fromTerraform.stdout).toBe(generatedKey);
    // The key id is an ordinary output, and the emulator knows it as the user's key.
    const keyId = applied.status?.outputs?.cloud_access_key_id ?? "";
    expect(keyId).toMatch(/^AKIA/);
    expect(applied.status?.outputs).not.toHaveProperty("cloud_secret_access_key");
    expect((await listAccessKeys(endpoint, `${NS}-${CLUSTER}-cloud`)).map((k) => k.accessKeyId)).toEqual([
      keyId,
    ]);

    // A second plan, made while the state holds the secret key (a tag change updates the IAM user).
    await cp.kubectlOk([
      "patch",
      "cluster",
      CLUSTER,
      "-n",
      NS,
      "--type",
      "merge",
      "-p",
      JSON.stringify({ spec: { providerSpec: { value: { additionalTags: { team: "canary" } } } } }),
    ]);
    await waitForPlan("Pending", firstId);
    const secondPlanText = await planShow();
    expect(secondPlanText).toContain("aws_iam_user.cloud_credentials will be updated in-place");

    // Everything people and tools read, each shown to hold what it is about (so a miss is a real miss).
    const surfaces: Record<string, { text: string; about: string }> = {
      "clusterform objects (spec and status)": {
        text: await kubectlJson(["get", "cluster-api", "-A"]),
        about: "cloud_access_key_id",
      },
      Events: { text: await kubectlJson(["get", "events", "-A"]), about: "SensitiveOutputsStored" },
      ConfigMaps: {
        text: await kubectlJson(["get", "configmaps", "-A"]),
        about: "aws_iam_access_key.cloud_credentials",
      },
      "controller logs": { text: logLines.join("\n"), about: `${NS}/${CLUSTER}` },
      "synthesized cdk.tf.json": {
        text: await readFile(join(workDir, "cdk.tf.json"), "utf8"),
        about: "aws_iam_access_key",
      },
      "applied record": {
        text: await readFile(join(workDir, "applied.json"), "utf8"),
        about: "cloud_secret_access_key",
      },
      "plan show before the apply": { text: firstPlanText, about: "cloud_secret_access_key" },
      "plan show after the apply": { text: secondPlanText, about: "aws_iam_user.cloud_credentials" },
    };
    const bootstrap = await bootstrapCanaries();
    const canaries = {
      "generated secret access key": generatedKey,
      "provider secret access key": PROVIDER_SECRET_KEY,
      "provider session token": PROVIDER_SESSION_TOKEN,
      ...bootstrap.canaries,
    };
    for (const [name, value] of Object.entries(canaries)) expect(value.length, name).toBeGreaterThan(16);
    // The applied record keeps the name and the flag, no value.
    const record = JSON.parse(surfaces["applied record"]?.text ?? "{}") as {
      outputs: Record<string, unknown>;
    };
    expect(record.outputs.cloud_secret_access_key).toEqual({ sensitive: true, type: "string" });
    // Of all Secrets, only the outputs Secret holds the generated key; none holds a provider credential.
    const secrets = JSON.parse(await kubectlJson(["get", "secrets", "-A"])) as {
      items: { metadata: { namespace: string; name: string }; data?: Record<string, string> }[];
    };
    const holding = (value: string) =>
      secrets.items
        .filter((item) =>
          Object.values(item.data ?? {}).some((v) =>
            Buffer.from(v, "base64").toString("utf8").includes(value),
          ),
        )
        .map((item) => `${item.metadata.namespace}/${item.metadata.name}`);
    expect(holding(generatedKey)).toEqual([`${NS}/${CLUSTER}-outputs`]);
    expect(holding(PROVIDER_SECRET_KEY)).toEqual([]);
    expect(holding(PROVIDER_SESSION_TOKEN)).toEqual([]);
    // Bootstrap secrets stay in their own Secret and in the init machine's data (which carries the key files).
    for (const [name, { value, allowed }] of Object.entries(bootstrap.holders))
      expect(allowed, `${name} is held by ${holding(value).join(", ")}`).toEqual(
        expect.arrayContaining(holding(value)),
      );
    for (const [surface, { text, about }] of Object.entries(surfaces)) {
      expect(text, `${surface} should mention ${about}`).toContain(about);
      for (const [name, value] of Object.entries(canaries)) {
        expect(text.includes(value), `${surface} contains the ${name}`).toBe(false);
        expect(text.includes(base64(value)), `${surface} contains the ${name} (base64)`).toBe(false);
      }
    }
  });

  it("keeps a vSphere credentials Secret out of the synthesized vSphere stack", async () => {
    await cp.kubectlOk([
      "create",
      "secret",
      "generic",
      "vs-creds",
      "-n",
      UNWATCHED_NS,
      `--from-literal=username=${VSPHERE_USER}`,
      `--from-literal=password=${VSPHERE_PASSWORD}`,
    ]);
    const planted = await cp.kubectlOk([
      "get",
      "secret",
      "vs-creds",
      "-n",
      UNWATCHED_NS,
      "-o",
      "jsonpath={.data.password}",
    ]);
    expect(Buffer.from(planted, "base64").toString("utf8")).toBe(VSPHERE_PASSWORD);
    await cp.kubectlOk(["apply", "-f", "-"], vsphereManifests("vs", "vs-creds"));

    // The reconciler's own path from API objects to JSON: load the scope, validate, synthesize.
    // The controller's own User-Agent: these are requests the shipped RBAC must allow (the suite's
    // use of `secrets delete`, which a controller makes when a cluster's last sensitive output goes).
    const client = new ApiClient(withUserAgent(cp.kubeConfig, CONTROLLER_USER_AGENT));
    onTestFinished(() => client.close());
    const store = new KubeClusterStore(client, new EventRecorder(client, "secrets-canary"));
    const stateDir = await mkdtemp(join(tmpdir(), "cf-secrets-vsphere-"));
    try {
      const scope = await loadScope(store, { namespace: UNWATCHED_NS, name: "vs" }, stateDir);
      expect(scope?.cluster.spec.providerSpec?.value).toMatchObject({
        credentialsSecret: { name: "vs-creds" },
      });
      const validation = scope ? validate(scope) : undefined;
      if (!validation?.ok) throw new Error(`vSphere cluster invalid: ${JSON.stringify(validation)}`);
      const { json } = new StackCache().synth(validation.model);
      expect(json).toContain("vcenter.canary.internal");
      expect(json).toContain("vsphere_virtual_machine");
      for (const value of [VSPHERE_USER, VSPHERE_PASSWORD]) {
        expect(json.includes(value)).toBe(false);
        expect(json.includes(base64(value))).toBe(false);
      }
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});

describe("file mode (clusterform apply)", () => {
  it("prints no sensitive value, names the sensitive output and a command that reads it", async () => {
    const work = await mkdtemp(join(tmpdir(), "cf-secrets-cli-"));
    try {
      const manifest = join(work, "cluster.yaml");
      // No Machines: the network and the IAM user are enough here.
      await writeFile(
        manifest,
        `${awsClusterYaml({ name: "files", namespace: "secrets-cli", net: "10.9" })}      cloudCredentials: {createAccessKey: true}\n`,
      );
      const stateDir = join(work, "state");
      const result = await runSandboxCli(
        "apply",
        { file: manifest, stateDir, endpoint, providerMirror: mirror },
        "--auto-approve",
        "-o",
        "json",
      );
      expect(result.exitCode, result.stderr).toBe(0);
      const workDir = join(stateDir, "secrets-cli", "files");
      const hint = `terraform -chdir=${workDir} output -raw cloud_secret_access_key`;
      expect(result.stderr).toContain(
        `[secrets-cli/files] sensitive outputs (not printed): cloud_secret_access_key; read one with: ${hint}`,
      );
      // The hinted command works, and what it reads was printed nowhere.
      const [binary, ...args] = hint.split(" ");
      expect(binary).toBe("terraform");
      const read = await execa(terraformBin, args, { env: { CHECKPOINT_DISABLE: "1" } });
      const key = read.stdout;
      expect(key.length).toBeGreaterThanOrEqual(20);
      expect(result.stdout).toContain('"cloud_access_key_id": "AKIA');
      expect(result.stdout.includes(key)).toBe(false);
      expect(result.stderr.includes(key)).toBe(false);
      expect(await readFile(join(workDir, "cdk.tf.json"), "utf8")).not.toContain(key);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});

describe("the outputs Secret in the API server", () => {
  it("is created, replaced and deleted only while the Cluster controls it; another's Secret is never touched", async () => {
    // The namespace no controller watches: only this test writes the Secret there.
    await cp.kubectlOk(
      ["apply", "-f", "-"],
      awsClusterYaml({ name: "owner", namespace: UNWATCHED_NS, net: "10.8" }),
    );
    // The controller's own User-Agent: these are requests the shipped RBAC must allow (the suite's
    // use of `secrets delete`, which a controller makes when a cluster's last sensitive output goes).
    const client = new ApiClient(withUserAgent(cp.kubeConfig, CONTROLLER_USER_AGENT));
    onTestFinished(() => client.close());
    const store = new KubeClusterStore(client, new EventRecorder(client, "secrets-canary"));
    const cluster = await store.getCluster(UNWATCHED_NS, "owner");
    if (!cluster) throw new Error("Cluster owner was not created");
    const read = async (name: string) =>
      await cp.client.find<KubernetesObject & { data?: Record<string, string> }>(
        SecretResource,
        UNWATCHED_NS,
        name,
      );
    const value = async (name: string) =>
      Buffer.from((await read(name))?.data?.token ?? "", "base64").toString("utf8");

    const write = (token: string | undefined) =>
      store.writeOutputsSecret(
        cluster,
        "owner-outputs",
        token === undefined
          ? undefined
          : outputsSecret(cluster, { token: { value: token, sensitive: true } }),
      );
    await write("first");
    expect(await value("owner-outputs")).toBe("first");
    await write("second");
    expect(await value("owner-outputs")).toBe("second");
    await write(undefined);
    expect(await read("owner-outputs")).toBeUndefined();

    await cp.kubectlOk([
      "create",
      "secret",
      "generic",
      "owner-outputs",
      "-n",
      UNWATCHED_NS,
      "--from-literal=token=somebody-elses",
    ]);
    await expect(write("third")).rejects.toBeInstanceOf(OutputsSecretConflictError);
    await write(undefined);
    expect(await value("owner-outputs")).toBe("somebody-elses");
  });
});

function vsphereManifests(cluster: string, credentialsSecret: string): string {
  return `apiVersion: cluster.k8s.io/v1alpha1
kind: Cluster
metadata: {name: ${cluster}, namespace: ${UNWATCHED_NS}}
spec:
  providerSpec:
    value:
      apiVersion: vsphereproviderconfig/v1alpha1
      kind: VsphereClusterProviderSpec
      server: vcenter.canary.internal
      datacenter: dc1
      credentialsSecret: {name: ${credentialsSecret}}
---
apiVersion: cluster.k8s.io/v1alpha1
kind: Machine
metadata:
  name: ${cluster}-cp-0
  namespace: ${UNWATCHED_NS}
  labels: {cluster.k8s.io/cluster-name: ${cluster}}
spec:
  providerSpec:
    value:
      apiVersion: vsphereproviderconfig/v1alpha1
      kind: VsphereMachineProviderSpec
      template: ubuntu-template
      datastore: datastore1
      network:
        devices: [{networkName: "VM Network", dhcp4: true}]
  versions: {kubelet: "1.13.6", controlPlane: "1.13.6"}
`;
}
