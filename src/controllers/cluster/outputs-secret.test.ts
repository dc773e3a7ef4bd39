import { describe, expect, it } from "vitest";
import { awsCluster } from "../../model/test-objects.js";
import { outputsSecret, sensitiveOutputValues } from "./outputs-secret.js";

const cluster = () => {
  const c = awsCluster("demo", "team-a");
  return { ...c, metadata: { ...c.metadata, uid: "uid-1" } };
};
const decode = (data: Record<string, string>) =>
  Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));

describe("outputsSecret", () => {
  it("holds only the sensitive outputs: strings as they are, structured values as JSON", () => {
    const secret = outputsSecret(cluster(), {
      cloud_access_key_id: { value: "AKIAEXAMPLE", sensitive: false },
      cloud_secret_access_key: { value: "s3cr3t/with+chars", sensitive: true },
      db: { value: { user: "u", password: "p" }, sensitive: true },
      machines: { value: {}, sensitive: false },
    });
    expect(secret && decode(secret.data)).toEqual({
      cloud_secret_access_key: "s3cr3t/with+chars",
      db: '{"user":"u","password":"p"}',
    });
  });

  it("is an Opaque Secret <cluster>-outputs, labelled with the cluster and controlled by it", () => {
    const secret = outputsSecret(cluster(), { k: { value: "v", sensitive: true } });
    expect(secret).toMatchObject({
      apiVersion: "v1",
      kind: "Secret",
      type: "Opaque",
      metadata: {
        name: "demo-outputs",
        namespace: "team-a",
        labels: { "clusterform.io/cluster": "demo" },
        ownerReferences: [
          {
            apiVersion: "cluster.k8s.io/v1alpha1",
            kind: "Cluster",
            name: "demo",
            uid: "uid-1",
            controller: true,
          },
        ],
      },
    });
  });

  it("is undefined when no output is sensitive, so no Secret is kept", () => {
    expect(outputsSecret(cluster(), { id: { value: "x", sensitive: false } })).toBeUndefined();
    expect(sensitiveOutputValues({})).toEqual({});
  });
});
