import { describe, expect, it } from "vitest";
import { formatFieldError } from "../api/field-error.js";
import { buildModels } from "./build.js";
import { modelsFromObjects } from "./from-manifests.js";
import { AWS_MACHINE_SPEC, awsCluster, machine } from "./test-objects.js";

function clusterWith(annotations: Record<string, string>, namespace?: string) {
  const cluster = awsCluster("demo", namespace);
  cluster.metadata.annotations = annotations;
  return cluster;
}

const configMap = (name: string, data: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name },
  data,
});

const build = (cluster: ReturnType<typeof awsCluster>, configMaps = [] as ReturnType<typeof configMap>[]) =>
  buildModels({ clusters: [cluster], machines: [], machineClasses: [], configMaps });

describe("state backend from the Cluster's annotations", () => {
  it("leaves the backend unset (local) without the annotation", () => {
    const { models } = build(awsCluster("demo"));
    expect(models[0]?.backend).toBeUndefined();
  });

  it("reads s3 settings from the named ConfigMap, annotations winning, region from the cluster", () => {
    const cluster = clusterWith({
      "clusterform.io/backend": "s3",
      "clusterform.io/backend-config": "state",
      "clusterform.io/backend-key-prefix": "team-a/clusters",
    });
    const { models, invalid } = build(cluster, [
      configMap("state", { bucket: "tf-state", keyPrefix: "ignored", endpoint: "http://127.0.0.1:5000" }),
    ]);
    expect(invalid).toEqual([]);
    expect(models[0]?.backend).toEqual({
      type: "s3",
      bucket: "tf-state",
      key: "team-a/clusters/default/demo/terraform.tfstate",
      region: "us-east-1",
      endpoint: "http://127.0.0.1:5000",
    });
  });

  it("names the Secret with the bucket's credentials (never its content) and checks the name", () => {
    const cluster = clusterWith({ "clusterform.io/backend": "s3", "clusterform.io/backend-config": "state" });
    const ok = build(cluster, [configMap("state", { bucket: "tf-state", credentialsSecret: "state-creds" })]);
    expect(ok.models[0]?.backend).toMatchObject({ type: "s3", credentialsSecret: "state-creds" });
    const bad = build(
      clusterWith({
        "clusterform.io/backend": "s3",
        "clusterform.io/backend-bucket": "tf-state",
        "clusterform.io/backend-credentials-secret": "Not_A_Name",
      }),
    );
    expect(bad.invalid[0]?.errors.map(formatFieldError).join("\n")).toContain(
      'metadata.annotations["clusterform.io/backend-credentials-secret"]: "Not_A_Name" is not a Secret name',
    );
  });

  it("names the Cluster and the annotation or key of every bad setting", () => {
    const cluster = clusterWith({
      "clusterform.io/backend": "s3",
      "clusterform.io/backend-config": "state",
      "clusterform.io/backend-region": "Mars",
    });
    const { invalid } = build(cluster, [configMap("state", { bucket: "Bad_Bucket", endpoint: "ftp://x" })]);
    const messages = invalid[0]?.errors.map(formatFieldError) ?? [];
    expect(messages.join("\n")).toContain(
      'Cluster default/demo: ConfigMap default/state: data.bucket: "Bad_Bucket"',
    );
    expect(messages.join("\n")).toContain('metadata.annotations["clusterform.io/backend-region"]: "Mars"');
    expect(messages.join("\n")).toContain('data.endpoint: "ftp://x" is not an http(s) URL');
  });

  it("refuses an unknown backend type, a missing bucket and a missing ConfigMap", () => {
    expect(build(clusterWith({ "clusterform.io/backend": "gcs" })).invalid[0]?.errors[0]?.message).toMatch(
      /unknown backend "gcs": use one of local, s3, kubernetes/,
    );
    const noBucket = build(clusterWith({ "clusterform.io/backend": "s3" })).invalid[0]?.errors ?? [];
    expect(noBucket[0]?.message).toMatch(/needs a bucket/);
    const missing = build(
      clusterWith({ "clusterform.io/backend": "s3", "clusterform.io/backend-config": "nope" }),
    ).invalid[0]?.errors.map((e) => e.message);
    expect(missing).toContain(
      "ConfigMap default/nope not found: create it (in file mode, in the same manifest files) or remove the annotation",
    );
  });

  it("reports a ConfigMap value that is not a string on the ConfigMap's key, without crashing", () => {
    const cluster = clusterWith({ "clusterform.io/backend": "s3", "clusterform.io/backend-config": "state" });
    const bad = configMap("state", { bucket: "tf-state" });
    Object.assign(bad.data, { region: 42, endpoint: { url: "x" } });
    const { invalid } = build(cluster, [bad]);
    expect(invalid[0]?.errors.map(formatFieldError)).toEqual([
      "ConfigMap default/state: data.region: must be a string, not a number: quote it",
      "ConfigMap default/state: data.endpoint: must be a string, not a mapping: quote it",
    ]);
  });

  it("keeps kubernetes state in the Cluster's namespace, suffixed <namespace>-<cluster>", () => {
    const { models } = build(clusterWith({ "clusterform.io/backend": "kubernetes" }, "team-a"));
    expect(models[0]?.backend).toEqual({
      type: "kubernetes",
      secretSuffix: "team-a-demo",
      namespace: "team-a",
    });
  });

  it("reads the ConfigMap from the same manifests in file mode", () => {
    const cluster = clusterWith({ "clusterform.io/backend": "s3", "clusterform.io/backend-config": "state" });
    const result = modelsFromObjects([
      cluster,
      configMap("state", { bucket: "tf-state", region: "eu-west-1" }),
    ]);
    expect(result.allErrors).toEqual([]);
    expect(result.models[0]?.backend).toMatchObject({ type: "s3", region: "eu-west-1" });
  });
});

describe("adoption annotations on Machines", () => {
  const withAnnotations = (annotations: Record<string, string>) => {
    const m = machine("w1", "demo", { value: { ...AWS_MACHINE_SPEC } });
    m.metadata.annotations = annotations;
    return buildModels({ clusters: [awsCluster("demo")], machines: [m], machineClasses: [] });
  };

  it("carries the instance to adopt and the orphan policy into the model", () => {
    const { models } = withAnnotations({
      "clusterform.io/adopt-instance-id": "i-0123456789abcdef0",
      "clusterform.io/on-delete": "orphan",
    });
    expect(models[0]?.machines[0]).toMatchObject({ adoptId: "i-0123456789abcdef0", onDelete: "orphan" });
  });

  it("refuses an id that is not an EC2 instance id and an unknown on-delete value", () => {
    const { invalid } = withAnnotations({
      "clusterform.io/adopt-instance-id": "i-1%{x}",
      "clusterform.io/on-delete": "keep",
    });
    expect(invalid[0]?.errors.map((e) => e.path)).toEqual([
      'metadata.annotations["clusterform.io/adopt-instance-id"]',
      'metadata.annotations["clusterform.io/on-delete"]',
    ]);
  });
});
