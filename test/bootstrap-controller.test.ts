import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { KubernetesObject } from "@kubernetes/client-node";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SecretResource } from "../src/controllers/runtime/resource.js";
import { MachineResource } from "../src/controllers/shared/resources.js";
import { describeInstanceUserData } from "../src/sandbox/ec2.js";
import { CONTROL_PLANE_ENDPOINT_PLACEHOLDER } from "../stacks/index.js";
import { awsClusterYaml, TEST_AMI } from "./helpers/aws-manifests.js";
import type { ClusterJson } from "./helpers/cluster-objects.js";
import { eventually, type TestControlPlane } from "./helpers/control-plane.js";
import {
  type ControlPlaneAndControllers,
  startControlPlaneAndControllers,
} from "./helpers/e2e-controllers.js";

// A seed-shaped cluster bootstrapped by the controller against the emulator:
// one control-plane Machine (1.13.6, the seed's), a MachineSet and a
// MachineDeployment of one replica each. Endpoint mode InitMachine (the load
// balancer takes the emulator ~60 s; test/bootstrap-load-balancer.test.ts
// covers it). Each instance's user data is read back from the emulator.
const endpoint = inject("awsEndpoint");
const NS = "boot-ctl";
const CLUSTER = "seedling";
const CP_MACHINE = "seedling-controlplane-1";

let env: ControlPlaneAndControllers | undefined;
let cp: TestControlPlane;
let work: string;

const providerSpec = `providerSpec:
        value: {apiVersion: awsprovider/v1alpha1, kind: AWSMachineProviderSpec, ami: {id: ${TEST_AMI}}, instanceType: t3.micro}`;
const labels = (extra: string) => `{cluster.k8s.io/cluster-name: ${CLUSTER}, ${extra}}`;
const owned = (
  kind: string,
  name: string,
  set: string,
  kubelet: string,
) => `apiVersion: cluster.k8s.io/v1alpha1
kind: ${kind}
metadata: {name: ${name}, namespace: ${NS}, labels: ${labels(`set: ${set}`)}}
spec:
  replicas: 1
  selector: {matchLabels: ${labels(`set: ${set}`)}}
  template:
    metadata: {labels: ${labels(`set: ${set}`)}}
    spec:
      ${providerSpec}
      versions: {kubelet: "${kubelet}"}
`;
const MANIFESTS = [
  `${awsClusterYaml({ name: CLUSTER, namespace: NS, net: "10.94", bootstrap: true })}      controlPlaneEndpoint: {type: InitMachine}\n`,
  `apiVersion: cluster.k8s.io/v1alpha1
kind: Machine
metadata: {name: ${CP_MACHINE}, namespace: ${NS}, labels: ${labels("set: controlplane")}}
spec:
  ${providerSpec.replace(/\n {8}/, "\n    ")}
  versions: {kubelet: "1.13.6", controlPlane: "1.13.6"}
`,
  owned("MachineSet", "seedling-machineset-1", "ms", "1.13.6"),
  // Starts one patch release behind the control plane; the roll brings it to 1.13.6.
  owned("MachineDeployment", "seedling-machinedeployment-1", "md", "1.13.5"),
].join("---\n");

interface MachineObject {
  metadata: { name: string; uid: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec: { providerID?: string; versions?: { kubelet?: string; controlPlane?: string } };
  status?: { phase?: string };
}

interface SecretObject {
  type?: string;
  metadata: {
    resourceVersion?: string;
    labels?: Record<string, string>;
    ownerReferences?: { uid: string; kind: string; controller?: boolean }[];
  };
  data?: Record<string, string>;
}

const machines = async (): Promise<MachineObject[]> =>
  (await cp.client.list<KubernetesObject>(MachineResource, NS)).items as unknown as MachineObject[];
const secret = async (name: string): Promise<SecretObject> =>
  (await cp.client.get<KubernetesObject>(SecretResource, NS, name)) as unknown as SecretObject;
const secretText = (s: SecretObject, key: string) =>
  Buffer.from(s.data?.[key] ?? "", "base64").toString("utf8");
const cluster = async () =>
  JSON.parse(await cp.kubectlOk(["get", "cluster", CLUSTER, "-n", NS, "-o", "json"]));
const instanceOf = (m: MachineObject) => /i-[0-9a-f]+$/.exec(m.spec.providerID ?? "")?.[0] ?? "";
const userData = async (m: MachineObject) =>
  gunzipSync(await describeInstanceUserData(endpoint, instanceOf(m))).toString("utf8");

/** Every live Machine Running with an instance, `count` of them, and the kubeconfig Secret written. */
async function converged(count: number, what: string): Promise<MachineObject[]> {
  const live = await eventually(
    async () => {
      const live = (await machines()).filter((m) => !m.metadata.deletionTimestamp);
      const all = await machines();
      if (all.length !== count || live.length !== count) return undefined;
      if (!live.every((m) => m.status?.phase === "Running" && instanceOf(m))) return undefined;
      await secret(`${CLUSTER}-kubeconfig`);
      return live;
    },
    what,
    900_000,
  );
  return live ?? [];
}

let endpointHost = "";
let before: Map<string, { data: string; secretVersion: string }>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "cf-boot-ctl-"));
  env = await startControlPlaneAndControllers(NS, { machineSets: true });
  cp = env.cp;
  await cp.kubectlOk(["apply", "-f", "-"], MANIFESTS);
  await converged(3, "three Running Machines and the kubeconfig Secret");
}, 960_000);

afterAll(async () => {
  await env?.stop();
  await rm(work, { recursive: true, force: true });
});

describe("the controller bootstraps a seed-shaped cluster (AWS emulator, endpoint InitMachine)", () => {
  it("gives exactly one Machine kubeadm init, the others join, workers hold no private key", async () => {
    const status = (await cluster()) as ClusterJson & {
      metadata: { annotations?: Record<string, string> };
      status: { apiEndpoints?: { host: string; port: number }[] };
    };
    expect(status.metadata.annotations?.["clusterform.io/init-machine"]).toBe(CP_MACHINE);
    const apiEndpoints = status.status.apiEndpoints ?? [];
    expect(apiEndpoints).toHaveLength(1);
    expect(apiEndpoints[0]?.port).toBe(6443);
    endpointHost = apiEndpoints[0]?.host ?? "";
    expect(endpointHost).toMatch(/^10\.94\.1\.\d+$/);
    before = new Map();
    const inits: string[] = [];
    for (const m of await machines()) {
      const data = await userData(m);
      const kept = await secret(`${m.metadata.name}-bootstrap`);
      // The instance got exactly the kept data, with the endpoint filled in by Terraform.
      expect(data).toBe(
        secretText(kept, "value").replaceAll(CONTROL_PLANE_ENDPOINT_PLACEHOLDER, endpointHost),
      );
      expect(data).toContain(`${endpointHost}:6443`);
      expect(secretText(kept, "format")).toBe("cloud-config");
      expect(kept.metadata.ownerReferences?.[0]).toMatchObject({ kind: "Machine", uid: m.metadata.uid });
      before.set(m.metadata.name, { data, secretVersion: kept.metadata.resourceVersion ?? "" });
      if (/- init\n/.test(data)) inits.push(m.metadata.name);
      else expect(data).toMatch(/- join\n/);
      if (m.spec.versions?.controlPlane) expect(data).toContain("BEGIN RSA PRIVATE KEY");
      else expect(data).not.toContain("PRIVATE KEY");
    }
    expect(inits).toEqual([CP_MACHINE]);
  });

  it("keeps the PKI in Secrets of Cluster API's type, labelled and owned by the Cluster", async () => {
    const uid = (await cluster()).metadata.uid;
    for (const suffix of ["ca", "etcd", "proxy", "sa"]) {
      const s = await secret(`${CLUSTER}-${suffix}`);
      expect(s.type).toBe("cluster.x-k8s.io/secret");
      expect(s.metadata.labels?.["cluster.k8s.io/cluster-name"]).toBe(CLUSTER);
      expect(s.metadata.ownerReferences?.[0]).toMatchObject({ kind: "Cluster", uid, controller: true });
      expect(Object.keys(s.data ?? {}).sort()).toEqual(["tls.crt", "tls.key"]);
    }
  });

  it("writes <cluster>-kubeconfig that real kubectl loads and whose client certificate openssl verifies", async () => {
    const kubeconfig = secretText(await secret(`${CLUSTER}-kubeconfig`), "value");
    const path = join(work, "kubeconfig");
    await writeFile(path, kubeconfig, { mode: 0o600 });
    const view = JSON.parse(
      (await execa("kubectl", ["config", "view", "--raw", "--kubeconfig", path, "-o", "json"])).stdout,
    );
    expect(view.clusters[0].cluster.server).toBe(`https://${endpointHost}:6443`);
    const ca = join(work, "ca.crt");
    const client = join(work, "client.crt");
    await writeFile(ca, secretText(await secret(`${CLUSTER}-ca`), "tls.crt"));
    await writeFile(client, Buffer.from(view.users[0].user["client-certificate-data"], "base64"));
    const verify = await execa("openssl", ["verify", "-purpose", "sslclient", "-CAfile", ca, client]);
    expect(verify.stdout.trim()).toBe(`${client}: OK`);
    const subject = await execa("openssl", ["x509", "-noout", "-subject", "-in", client]);
    expect(subject.stdout).toMatch(/O ?= ?system:masters/);
  });

  it("rolls the MachineDeployment to a new kubelet: the new instance carries it, old user data never changes", async () => {
    const oldMd = (await machines()).find((m) => m.metadata.labels?.set === "md");
    if (!oldMd) throw new Error("no MachineDeployment Machine");
    await cp.kubectlOk([
      "patch",
      "machinedeployment",
      "seedling-machinedeployment-1",
      "-n",
      NS,
      "--type",
      "merge",
      "-p",
      JSON.stringify({ spec: { template: { spec: { versions: { kubelet: "1.13.6" } } } } }),
    ]);
    const after = await eventually(
      async () => {
        const live = await converged(3, "the rolled cluster");
        return live.some((m) => m.metadata.name === oldMd.metadata.name) ? undefined : live;
      },
      "the old MachineDeployment Machine replaced",
      900_000,
    );
    if (!after) throw new Error("no rolled Machines");
    const fresh = after.find((m) => m.metadata.labels?.set === "md");
    if (!fresh) throw new Error("no new MachineDeployment Machine");
    const data = await userData(fresh);
    expect(data).toContain("- v1.13.6\n");
    expect(data).toMatch(/- join\n/);
    for (const m of after.filter((x) => x !== fresh)) {
      const kept = before.get(m.metadata.name);
      expect(kept, m.metadata.name).toBeDefined();
      expect(await userData(m)).toBe(kept?.data);
      expect((await secret(`${m.metadata.name}-bootstrap`)).metadata.resourceVersion).toBe(
        kept?.secretVersion,
      );
    }
  }, 960_000);
});
