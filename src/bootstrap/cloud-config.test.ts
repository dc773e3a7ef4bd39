import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { InvalidConfigurationError } from "../errors.js";
import {
  AWS_PROVIDER_ID_TEMPLATE,
  checkBootstrapDataSize,
  KUBEADM_CONFIG_PATH,
  KUBELET_CHECK_PATH,
  providerIdTemplate,
  renderCloudConfig,
  USER_DATA_LIMIT_BYTES,
} from "./cloud-config.js";
import { CONTROL_PLANE_ENDPOINT_PLACEHOLDER } from "./endpoint.js";
import { type ClusterPki, generateClusterPki } from "./pki.js";
import { bootstrapContext, versionedMachine } from "./test-support.js";
import { caCertHash } from "./token.js";

interface CloudConfig {
  write_files: Array<{ path: string; permissions: string; owner: string; content: string }>;
  runcmd: Array<string | string[]>;
}

const KEY_PATHS = [
  "/etc/kubernetes/pki/ca.crt",
  "/etc/kubernetes/pki/ca.key",
  "/etc/kubernetes/pki/etcd/ca.crt",
  "/etc/kubernetes/pki/etcd/ca.key",
  "/etc/kubernetes/pki/front-proxy-ca.crt",
  "/etc/kubernetes/pki/front-proxy-ca.key",
  "/etc/kubernetes/pki/sa.pub",
  "/etc/kubernetes/pki/sa.key",
];

function parsed(text: string): CloudConfig {
  expect(text.startsWith("#cloud-config\n")).toBe(true);
  return parse(text) as CloudConfig;
}

function kubeadmDocs(config: CloudConfig): Array<Record<string, unknown>> {
  const file =
    config.write_files.find((f) => f.path === KUBEADM_CONFIG_PATH) ?? expect.fail("no kubeadm config");
  return parseAllDocuments(file.content).map((d) => d.toJSON() as Record<string, unknown>);
}

describe("renderCloudConfig", () => {
  let pki: ClusterPki;
  beforeAll(async () => {
    pki = await generateClusterPki({ algorithm: "ecdsa-p256" });
  });

  it("gives the init machine the cluster keys (0600) and ClusterConfiguration + InitConfiguration", () => {
    const context = bootstrapContext(pki);
    const config = parsed(renderCloudConfig(versionedMachine("cp-1", "1.13.6", "1.13.6"), "init", context));
    const keyFiles = config.write_files.filter((f) => f.path.startsWith("/etc/kubernetes/pki/"));
    expect(keyFiles.map((f) => f.path)).toEqual(KEY_PATHS);
    for (const file of keyFiles) expect(file.permissions).toBe("0600");
    expect(keyFiles.find((f) => f.path.endsWith("/etcd/ca.key"))?.content).toBe(pki.etcd.key);
    expect(keyFiles.find((f) => f.path.endsWith("/sa.pub"))?.content).toBe(pki.serviceAccount.publicKey);
    const docs = kubeadmDocs(config);
    expect(docs.map((d) => d.kind)).toEqual(["ClusterConfiguration", "InitConfiguration"]);
    expect(docs[0]).toMatchObject({ kubernetesVersion: "v1.13.6", clusterName: "c1" });
    expect(docs[1]).toMatchObject({ bootstrapTokens: [{ token: context.token.token }] });
    expect(config.write_files.find((f) => f.path === KUBEADM_CONFIG_PATH)?.permissions).toBe("0600");
  });

  it("checks the kubelet version before running kubeadm, stopping the script when it fails", () => {
    const context = bootstrapContext(pki);
    const init = parsed(renderCloudConfig(versionedMachine("cp-1", "1.13.6", "1.13.6"), "init", context));
    expect(init.runcmd).toEqual([
      "set -e",
      [KUBELET_CHECK_PATH, "v1.13.6"],
      ["kubeadm", "init", "--config", KUBEADM_CONFIG_PATH],
    ]);
    const worker = parsed(renderCloudConfig(versionedMachine("w-1", "1.13.5"), "worker-join", context));
    expect(worker.runcmd).toEqual([
      "set -e",
      [KUBELET_CHECK_PATH, "v1.13.5"],
      ["kubeadm", "join", "--config", KUBEADM_CONFIG_PATH],
    ]);
    const script = worker.write_files.find((f) => f.path === KUBELET_CHECK_PATH);
    expect(script?.content).toContain("kubelet --version");
    expect(script?.content).toContain("/dev/console");
  });

  it("gives a joining control plane the keys and a JoinConfiguration with controlPlane", () => {
    const context = bootstrapContext(pki);
    const config = parsed(
      renderCloudConfig(versionedMachine("cp-2", "1.13.6", "1.13.6"), "control-plane-join", context),
    );
    expect(
      config.write_files.filter((f) => f.path.startsWith("/etc/kubernetes/pki/")).map((f) => f.path),
    ).toEqual(KEY_PATHS);
    const [join] = kubeadmDocs(config);
    expect(join).toMatchObject({
      apiVersion: "kubeadm.k8s.io/v1beta1",
      kind: "JoinConfiguration",
      controlPlane: { localAPIEndpoint: { bindPort: 6443 } },
      discovery: { bootstrapToken: { caCertHashes: [caCertHash(pki.ca.cert)] } },
    });
  });

  it("gives a worker only its JoinConfiguration: no private key, no key file at all", () => {
    const context = bootstrapContext(pki);
    const text = renderCloudConfig(versionedMachine("w-1", "1.13.6"), "worker-join", context);
    expect(text).not.toMatch(/PRIVATE KEY/);
    for (const secret of [pki.ca.key, pki.etcd.key, pki.frontProxy.key, pki.serviceAccount.key]) {
      expect(text).not.toContain(secret.split("\n")[1]);
    }
    const config = parsed(text);
    expect(config.write_files.map((f) => f.path)).toEqual([KUBEADM_CONFIG_PATH, KUBELET_CHECK_PATH]);
    const [join] = kubeadmDocs(config);
    expect(join).not.toHaveProperty("controlPlane");
    expect(join).toMatchObject({
      discovery: {
        bootstrapToken: {
          apiServerEndpoint: `${CONTROL_PLANE_ENDPOINT_PLACEHOLDER}:6443`,
          token: context.token.token,
          caCertHashes: [caCertHash(pki.ca.cert)],
        },
      },
    });
  });

  it("picks each joiner's kubeadm API from its own version", () => {
    const context = bootstrapContext(pki, "1.22.3");
    const worker = kubeadmDocs(
      parsed(renderCloudConfig(versionedMachine("w-1", "1.21.9"), "worker-join", context)),
    );
    expect(worker[0]?.apiVersion).toBe("kubeadm.k8s.io/v1beta2");
    const cp = kubeadmDocs(
      parsed(renderCloudConfig(versionedMachine("cp-2", "1.22.3", "1.22.3"), "control-plane-join", context)),
    );
    expect(cp[0]?.apiVersion).toBe("kubeadm.k8s.io/v1beta3");
  });

  it("never contains Terraform template syntax", () => {
    const context = bootstrapContext(pki);
    for (const [machine, role] of [
      [versionedMachine("cp-1", "1.13.6", "1.13.6"), "init"],
      [versionedMachine("cp-2", "1.13.6", "1.13.6"), "control-plane-join"],
      [versionedMachine("w-1", "1.13.6"), "worker-join"],
    ] as const) {
      const text = renderCloudConfig(machine, role, context);
      expect(text).not.toContain("${");
      expect(text).not.toContain("%{");
    }
    const hostile = bootstrapContext(pki, "1.13.6", {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a user value carrying Terraform syntax on purpose
      kubeletExtraArgs: { "node-labels": 'a=${file("/x")}' },
    });
    expect(() => renderCloudConfig(versionedMachine("w-1", "1.13.6"), "worker-join", hostile)).toThrow(
      /Machine default\/w-1: bootstrap data would contain Terraform or jinja template syntax/,
    );
    // cloud-init renders AWS data as jinja: a user value must not reach its templating either.
    const jinja = bootstrapContext(pki, "1.13.6", {
      kubeletExtraArgs: { "node-labels": "a={{ v1.region }}" },
    });
    expect(() => renderCloudConfig(versionedMachine("w-1", "1.13.6"), "worker-join", jinja)).toThrow(
      /Machine default\/w-1: bootstrap data would contain Terraform or jinja template syntax/,
    );
  });

  it("gives the kubelet its provider-id from instance data on AWS, in each kubeadm API's shape", () => {
    for (const [version, expected] of [
      ["1.13.6", { "provider-id": AWS_PROVIDER_ID_TEMPLATE }],
      ["1.31.0", [{ name: "provider-id", value: AWS_PROVIDER_ID_TEMPLATE }]],
    ] as const) {
      const context = { ...bootstrapContext(pki, version), providerIdTemplate: AWS_PROVIDER_ID_TEMPLATE };
      for (const [machine, role] of [
        [versionedMachine("cp-1", version, version), "init"],
        [versionedMachine("w-1", version), "worker-join"],
      ] as const) {
        const text = renderCloudConfig(machine, role, context);
        expect(text.startsWith("## template: jinja\n#cloud-config\n")).toBe(true);
        const documents = kubeadmDocs(parse(text) as CloudConfig);
        const registering = documents.filter((d) => d.kind !== "ClusterConfiguration");
        expect(registering).toHaveLength(1);
        expect(registering[0]?.nodeRegistration).toEqual({ kubeletExtraArgs: expected });
      }
    }
    expect(providerIdTemplate("aws")).toBe(AWS_PROVIDER_ID_TEMPLATE);
    expect(providerIdTemplate("vsphere")).toBeUndefined();
    const vsphere = renderCloudConfig(
      versionedMachine("w-1", "1.13.6"),
      "worker-join",
      bootstrapContext(pki),
    );
    expect(vsphere).not.toContain("provider-id");
    expect(vsphere.startsWith("#cloud-config\n")).toBe(true);
  });

  it("refuses a Machine whose version cannot be read, naming it", () => {
    const context = bootstrapContext(pki);
    expect(() => renderCloudConfig(versionedMachine("w-9", "1.x"), "worker-join", context)).toThrow(
      /Machine default\/w-9: spec\.versions\.kubelet: "1\.x"/,
    );
  });
});

describe("checkBootstrapDataSize", () => {
  // RSA keys make the largest data; generating them takes seconds on a busy machine.
  let rsaPki: ClusterPki;
  beforeAll(async () => {
    rsaPki = await generateClusterPki({ algorithm: "rsa-2048" });
  }, 120_000);

  it("passes ordinary data and returns its gzipped size", () => {
    const pki = rsaPki;
    const machine = versionedMachine("cp-1", "1.13.6", "1.13.6");
    const text = renderCloudConfig(machine, "init", bootstrapContext(pki));
    const size = checkBootstrapDataSize(machine, text);
    expect(size).toBeGreaterThan(1000);
    expect(size).toBeLessThan(USER_DATA_LIMIT_BYTES / 2);
  });

  it("refuses data over 16,384 bytes after gzip, naming the Machine", () => {
    const machine = versionedMachine("w-big", "1.13.6");
    const incompressible = randomBytes(20_000).toString("base64");
    try {
      checkBootstrapDataSize(machine, `#cloud-config\n# ${incompressible}\n`);
      expect.fail("expected an error");
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigurationError);
      expect((error as Error).message).toMatch(
        /^Machine default\/w-big: bootstrap data is \d+ bytes after gzip, over the 16384-byte user data limit/,
      );
    }
  });
});
