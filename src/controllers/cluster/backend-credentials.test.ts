import { describe, expect, it } from "vitest";
import type { ConvergeOptions } from "../../converge/options.js";
import { BackendCredentialsError, convergeForCluster } from "./backend-credentials.js";
import type { ClusterStore } from "./store.js";
import { testScope } from "./test-scope.js";

const converge: ConvergeOptions = { stateDir: "/tmp/state" };

function scopeNaming(secret: string | undefined) {
  const scope = testScope([]);
  scope.cluster.metadata.annotations = {
    "clusterform.io/backend": "s3",
    "clusterform.io/backend-bucket": "tf-state",
    ...(secret ? { "clusterform.io/backend-credentials-secret": secret } : {}),
  };
  return scope;
}

const storeWith = (secrets: Record<string, Record<string, string>>) =>
  ({ getSecretData: async (_ns: string, name: string) => secrets[name] }) as unknown as ClusterStore;

describe("convergeForCluster (the s3 bucket's credentials from a Secret)", () => {
  it("keeps the controller's options when the Cluster names no Secret", async () => {
    expect(await convergeForCluster(storeWith({}), scopeNaming(undefined), converge)).toBe(converge);
  });

  it("maps the AWS_* keys of the Secret to the backend's settings", async () => {
    const store = storeWith({
      creds: { AWS_ACCESS_KEY_ID: "AKIA1", AWS_SECRET_ACCESS_KEY: "s3cr3t", AWS_SESSION_TOKEN: "tok3n" },
    });
    const result = await convergeForCluster(store, scopeNaming("creds"), converge);
    expect(result.backendCredentials).toEqual({ access_key: "AKIA1", secret_key: "s3cr3t", token: "tok3n" });
    expect(result.stateDir).toBe("/tmp/state");
  });

  it("fails retryably, naming the Cluster, the Secret and what to do, when it is missing or incomplete", async () => {
    const missing = convergeForCluster(storeWith({}), scopeNaming("creds"), converge);
    await expect(missing).rejects.toBeInstanceOf(BackendCredentialsError);
    await expect(missing).rejects.toThrow(
      /Cluster default\/demo: .*Secret default\/creds.* not found: create it/,
    );
    const partial = convergeForCluster(
      storeWith({ creds: { AWS_ACCESS_KEY_ID: "AKIA1" } }),
      scopeNaming("creds"),
      converge,
    );
    await expect(partial).rejects.toThrow(/lacks AWS_SECRET_ACCESS_KEY/);
  });
});
