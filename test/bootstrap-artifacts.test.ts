import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import {
  KUBEADM_CONFIG_PATH,
  KUBELET_CHECK_PATH,
  providerIdTemplate,
  renderCloudConfig,
} from "../src/bootstrap/cloud-config.js";
import { parseKubeVersion } from "../src/bootstrap/kube-version.js";
import { kubeadmApiVersionFor } from "../src/bootstrap/kubeadm/api-version.js";
import { checkKubeadmDocument, type KubeadmKind } from "../src/bootstrap/kubeadm/schemas.js";
import { renderKubeconfig } from "../src/bootstrap/kubeconfig.js";
import {
  type CertAndKey,
  type ClusterPki,
  generateClusterPki,
  issueAdminClientCert,
  type KeyAlgorithm,
} from "../src/bootstrap/pki.js";
import { checkPkiSecret } from "../src/bootstrap/pki-secrets.js";
import type { BootstrapRole } from "../src/bootstrap/roles.js";
import { bootstrapContext, versionedMachine } from "../src/bootstrap/test-support.js";
import { caCertHash } from "../src/bootstrap/token.js";
import { observeAwsMachine } from "../src/status/observe.js";
import { providerIDKey } from "../src/status/workload.js";
import { ensureCloudInit, runCloudInit, runPython } from "./helpers/cloud-init.js";

/**
 * The bootstrap library's output checked by the real tools that will consume
 * it (no kubeadm binary and no real boot here): openssl on the PKI, kubectl
 * on the kubeconfig, Debian's cloud-init on every role's data, /bin/sh on the
 * boot script cloud-init would run.
 */

/** The only top-level keys clusterform writes; cloud-init's validator lets unknown ones through. */
const OUR_TOP_LEVEL_KEYS = ["runcmd", "write_files"];

interface Case {
  version: string;
  algorithm: KeyAlgorithm;
}
// The seed's 1.13.6 with RSA (what kubeadm 1.13 accepts) and a current release with ECDSA.
const CASES: Case[] = [
  { version: "1.13.6", algorithm: "rsa-2048" },
  { version: "1.31.2", algorithm: "ecdsa-p256" },
];

const dir = mkdtempSync(join(tmpdir(), "clusterform-bootstrap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { encoding: "utf8", env });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe("a CA brought by the user, made by openssl", () => {
  it("is accepted from its Secret and signs an admin certificate openssl verifies", async () => {
    const key = join(dir, "byo-ca.key");
    const cert = join(dir, "byo-ca.crt");
    const made = run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "30",
      "-keyout",
      key,
      "-out",
      cert,
      "-utf8",
      "-subj",
      "/C=DE/O=Example, Inc./OU=Platform Ä/CN=Example Root CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    expect(made.status).toBe(0);
    const pair = { cert: readFileSync(cert, "utf8"), key: readFileSync(key, "utf8") };
    const secret = {
      apiVersion: "v1" as const,
      kind: "Secret" as const,
      metadata: { name: "c1-ca", namespace: "ns1" },
      data: {
        "tls.crt": Buffer.from(pair.cert).toString("base64"),
        "tls.key": Buffer.from(pair.key).toString("base64"),
      },
    };
    const checked = checkPkiSecret("ca", secret);
    expect(checked.problems).toEqual([]);
    const admin = await issueAdminClientCert(checked.pair ?? expect.fail("no pair"));
    const adminPath = write("byo-admin.crt", admin.cert);
    const verify = run("openssl", [
      "verify",
      "-x509_strict",
      "-purpose",
      "sslclient",
      "-CAfile",
      cert,
      adminPath,
    ]);
    expect(verify.stdout.trim()).toBe(`${adminPath}: OK`);

    const leaf = join(dir, "byo-leaf.crt");
    run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "1",
      "-keyout",
      join(dir, "byo-leaf.key"),
      "-out",
      leaf,
      "-subj",
      "/CN=not-a-ca",
      "-addext",
      "basicConstraints=critical,CA:FALSE",
    ]);
    const notCa = {
      ...secret,
      data: {
        "tls.crt": Buffer.from(readFileSync(leaf, "utf8")).toString("base64"),
        "tls.key": Buffer.from(readFileSync(join(dir, "byo-leaf.key"), "utf8")).toString("base64"),
      },
    };
    expect(checkPkiSecret("ca", notCa).problems).toEqual([
      "Secret ns1/c1-ca: data.tls.crt is not a CA certificate (basicConstraints CA:TRUE missing)",
    ]);
  });
});

describe.each(CASES)("bootstrap artifacts for Kubernetes $version ($algorithm)", ({ version, algorithm }) => {
  let pki: ClusterPki;
  let admin: CertAndKey;
  const file = (name: string) => join(dir, `${version}-${name}`);
  beforeAll(async () => {
    pki = await generateClusterPki({ algorithm });
    admin = await issueAdminClientCert(pki.ca);
    write(`${version}-ca.crt`, pki.ca.cert);
    write(`${version}-etcd-ca.crt`, pki.etcd.cert);
    write(`${version}-front-proxy-ca.crt`, pki.frontProxy.cert);
    write(`${version}-admin.crt`, admin.cert);
    write(`${version}-admin.key`, admin.key);
    write(`${version}-ca.key`, pki.ca.key);
  }, 120_000);

  describe("openssl", () => {
    it("verifies each CA as a self-signed CA with CA:TRUE and keyCertSign", () => {
      for (const name of ["ca.crt", "etcd-ca.crt", "front-proxy-ca.crt"]) {
        const verify = run("openssl", ["verify", "-x509_strict", "-CAfile", file(name), file(name)]);
        expect(verify.stdout.trim()).toBe(`${file(name)}: OK`);
        const ext = run("openssl", [
          "x509",
          "-in",
          file(name),
          "-noout",
          "-ext",
          "basicConstraints,keyUsage",
        ]);
        expect(ext.stdout).toMatch(/Basic Constraints: critical\n\s+CA:TRUE/);
        expect(ext.stdout).toMatch(/Key Usage: critical\n\s+.*Certificate Sign/);
      }
    });

    it("verifies the admin client certificate against the cluster CA, and not against the etcd CA", () => {
      const ok = run("openssl", [
        "verify",
        "-x509_strict",
        "-purpose",
        "sslclient",
        "-CAfile",
        file("ca.crt"),
        file("admin.crt"),
      ]);
      expect(ok.stdout.trim()).toBe(`${file("admin.crt")}: OK`);
      const wrong = run("openssl", ["verify", "-CAfile", file("etcd-ca.crt"), file("admin.crt")]);
      expect(wrong.status).not.toBe(0);
      const subject = run("openssl", [
        "x509",
        "-in",
        file("admin.crt"),
        "-noout",
        "-subject",
        "-nameopt",
        "RFC2253",
      ]);
      expect(subject.stdout.trim()).toBe("subject=O=system:masters,CN=kubernetes-admin");
    });

    it("finds the key files to be the certificates' own keys", () => {
      const fromCert = run("openssl", ["x509", "-in", file("ca.crt"), "-noout", "-pubkey"]);
      const fromKey = run("openssl", ["pkey", "-in", file("ca.key"), "-pubout"]);
      expect(fromKey.stdout).toBe(fromCert.stdout);
    });

    it("computes the same caCertHashes value as clusterform (kubeadm's documented openssl pipeline)", () => {
      const pipeline = run("sh", [
        "-c",
        'openssl x509 -pubkey -noout -in "$1" | openssl pkey -pubin -outform der | openssl dgst -sha256 -hex',
        "sh",
        file("ca.crt"),
      ]);
      expect(pipeline.status).toBe(0);
      const hex = pipeline.stdout.trim().split(/\s+/).pop();
      expect(caCertHash(pki.ca.cert)).toBe(`sha256:${hex}`);
    });
  });

  describe("kubectl", () => {
    it("loads the kubeconfig, and its client certificate verifies against its CA data", () => {
      const path = write(
        `${version}-kubeconfig`,
        renderKubeconfig({
          clusterName: "c1",
          endpointHost: "api.c1.example.com",
          caCert: pki.ca.cert,
          admin,
        }),
      );
      const view = run("kubectl", ["config", "view", "--raw", "--kubeconfig", path, "-o", "json"]);
      expect(view.stderr).toBe("");
      expect(view.status).toBe(0);
      const config = JSON.parse(view.stdout);
      expect(config["current-context"]).toBe("c1-admin@c1");
      expect(config.clusters[0].cluster.server).toBe("https://api.c1.example.com:6443");
      const contexts = run("kubectl", ["config", "get-contexts", "-o", "name", "--kubeconfig", path]);
      expect(contexts.stdout.trim()).toBe("c1-admin@c1");
      const decode = (value: string) => Buffer.from(value, "base64").toString("utf8");
      const ca = write(
        `${version}-kubectl-ca.crt`,
        decode(config.clusters[0].cluster["certificate-authority-data"]),
      );
      const client = write(
        `${version}-kubectl-client.crt`,
        decode(config.users[0].user["client-certificate-data"]),
      );
      const verify = run("openssl", ["verify", "-purpose", "sslclient", "-CAfile", ca, client]);
      expect(verify.stdout.trim()).toBe(`${client}: OK`);
    });
  });

  describe("cloud-init", () => {
    beforeAll(() => ensureCloudInit(), 300_000);

    const roles: Array<[BootstrapRole, string, string | undefined]> = [
      ["init", "cp-1", version],
      ["control-plane-join", "cp-2", version],
      ["worker-join", "w-1", undefined],
    ];

    it.each(roles)(
      "accepts the %s data with its schema validator, and only keys we check ourselves",
      (role, name, cp) => {
        const text = renderCloudConfig(
          versionedMachine(name, version, cp),
          role,
          bootstrapContext(pki, version, { keyAlgorithm: algorithm }),
        );
        const path = write(`${version}-${role}.yaml`, text);
        const result = runCloudInit(["schema", "--config-file", path]);
        expect(`${result.stdout}${result.stderr}`.trim()).toBe(`Valid cloud-config: ${path}`);
        expect(result.status).toBe(0);
        const config = parse(text) as Record<string, unknown>;
        expect(Object.keys(config).sort()).toEqual(OUR_TOP_LEVEL_KEYS);
        // The kubeadm documents inside, against the project's schemas (no kubeadm binary here).
        const files = config.write_files as Array<{ path: string; content: string }>;
        const kubeadmFile =
          files.find((f) => f.path === KUBEADM_CONFIG_PATH) ?? expect.fail("no kubeadm config");
        const api =
          kubeadmApiVersionFor(parseKubeVersion(version) ?? expect.fail(version)) ?? expect.fail(version);
        for (const document of parseAllDocuments(kubeadmFile.content).map((d) => d.toJSON())) {
          expect(checkKubeadmDocument(api, document.kind as KubeadmKind, document)).toEqual([]);
        }
        if (role === "worker-join") expect(text).not.toContain("PRIVATE KEY");
      },
    );

    it("renders the kubelet's provider-id from EC2 instance data, so the Node matches its Machine", () => {
      const text = renderCloudConfig(versionedMachine("w-1", version), "worker-join", {
        ...bootstrapContext(pki, version),
        providerIdTemplate: providerIdTemplate("aws") ?? expect.fail("AWS has a provider-id"),
      });
      // cloud-init's own jinja step, with instance data as its EC2 datasource writes it (v1 keys).
      const instanceData = write(
        `${version}-instance-data.json`,
        JSON.stringify({ v1: { availability_zone: "us-east-1a", instance_id: "i-0a1b2c3d4e5f67890" } }),
      );
      const rendered = runCloudInit([
        "devel",
        "render",
        write(`${version}-jinja.yaml`, text),
        "--instance-data",
        instanceData,
      ]);
      expect(rendered.status, rendered.stderr).toBe(0);
      const path = write(`${version}-rendered.yaml`, rendered.stdout);
      const valid = runCloudInit(["schema", "--config-file", path]);
      expect(`${valid.stdout}${valid.stderr}`.trim()).toBe(`Valid cloud-config: ${path}`);
      const files = (parse(rendered.stdout) as { write_files: Array<{ path: string; content: string }> })
        .write_files;
      const kubeadm =
        files.find((f) => f.path === KUBEADM_CONFIG_PATH)?.content ?? expect.fail("no kubeadm config");
      const join = parseAllDocuments(kubeadm).map((d) => d.toJSON())[0] as {
        nodeRegistration: {
          kubeletExtraArgs: Record<string, string> | Array<{ name: string; value: string }>;
        };
      };
      const args = join.nodeRegistration.kubeletExtraArgs;
      const providerID = Array.isArray(args)
        ? args.find((a) => a.name === "provider-id")?.value
        : args["provider-id"];
      expect(providerID).toBe("aws:///us-east-1a/i-0a1b2c3d4e5f67890");
      // What the kubelet registers matches what clusterform writes on the Machine for that instance.
      const machine = observeAwsMachine({ instance_id: "i-0a1b2c3d4e5f67890" }).providerID;
      expect(providerIDKey(providerID ?? "")).toBe(providerIDKey(machine));
    });

    it("rejects what is wrong (the validator really validates)", () => {
      const path = write(
        `${version}-broken.yaml`,
        "#cloud-config\nwrite_files:\n  - content: x\nruncmd: {kubeadm: init}\n",
      );
      const result = runCloudInit(["schema", "--config-file", path]);
      expect(result.status).not.toBe(0);
      expect(`${result.stdout}${result.stderr}`).toMatch(
        /runcmd: \{'kubeadm': 'init'\} is not of type 'array'/,
      );
      expect(`${result.stdout}${result.stderr}`).toMatch(/'path' is a required property/);
    });

    it("runs kubeadm only after the kubelet check passes, as cloud-init's runcmd script", () => {
      const text = renderCloudConfig(
        versionedMachine("w-1", version),
        "worker-join",
        bootstrapContext(pki, version),
      );
      const config = parse(text) as {
        runcmd: unknown[];
        write_files: Array<{ path: string; content: string }>;
      };
      // The exact script cloud-init writes for runcmd (cloudinit.util.shellify), with our paths moved into the temp dir.
      const shellified = runPython(
        [
          "-c",
          "import json,sys; from cloudinit import util; sys.stdout.write(util.shellify(json.load(sys.stdin)))",
        ],
        JSON.stringify(config.runcmd),
      );
      expect(shellified.stderr).toBe("");
      const bin = mkdtempSync(join(dir, "bin-"));
      const check = join(bin, "check-kubelet-version.sh");
      writeFileSync(check, config.write_files.find((f) => f.path === KUBELET_CHECK_PATH)?.content ?? "");
      chmodSync(check, 0o700);
      const script = join(bin, "runcmd");
      writeFileSync(script, shellified.stdout.replaceAll(KUBELET_CHECK_PATH, check));
      chmodSync(script, 0o700);
      const fake = (name: string, body: string) => {
        writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
        chmodSync(join(bin, name), 0o755);
      };
      fake("kubeadm", `echo "kubeadm ran: $*"`);
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };

      fake("kubelet", `echo "Kubernetes v${version}"`);
      const good = run(script, [], env);
      expect(good.status).toBe(0);
      expect(good.stdout).toContain(`kubeadm ran: join --config ${KUBEADM_CONFIG_PATH}`);

      fake("kubelet", 'echo "Kubernetes v1.12.0"');
      const bad = run(script, [], env);
      expect(bad.status).not.toBe(0);
      expect(bad.stdout).not.toContain("kubeadm ran");
      expect(bad.stderr).toContain(
        `clusterform: kubelet version mismatch: the Machine asks for Kubernetes v${version}, this image has: Kubernetes v1.12.0. kubeadm was not run.`,
      );

      rmSync(join(bin, "kubelet"));
      const missing = run(script, [], { ...env, PATH: `${bin}:/usr/bin:/bin` });
      expect(missing.status).not.toBe(0);
      expect(missing.stdout).not.toContain("kubeadm ran");
      expect(missing.stderr).toContain("kubelet did not run");
    });
  });
});
