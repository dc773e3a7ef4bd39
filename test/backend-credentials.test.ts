import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createBucket, getObject } from "../src/sandbox/s3.js";
import { awsClusterYaml } from "./helpers/aws-manifests.js";
import { eventually, type TestControlPlane } from "./helpers/control-plane.js";
import { type ControllerHarness, capturingLogger } from "./helpers/controllers.js";
import {
  type ControlPlaneAndControllers,
  startControlPlaneAndControllers,
} from "./helpers/e2e-controllers.js";

// The s3 backend with the bucket's own credentials from a Secret, under the
// controller: they reach Terraform only through `init -backend-config` and
// appear in no object, Event or configuration. A Cluster naming a Secret that
// does not exist reports it and runs no Terraform.
const endpoint = inject("awsEndpoint");
const NS = "backend-creds";
const BUCKET = "clusterform-creds-e2e";
const ACCESS_KEY = "AKIACANARYBACKEND01";
const SECRET_KEY = "canary-backend-secret-0f3b9c2e";

let env: ControlPlaneAndControllers | undefined;
let cp: TestControlPlane;
let controllers: ControllerHarness | undefined;
const logs: string[] = [];

const s3Annotations = (secret: string) => ({
  "clusterform.io/backend": "s3",
  "clusterform.io/backend-bucket": BUCKET,
  "clusterform.io/backend-endpoint": endpoint,
  "clusterform.io/backend-credentials-secret": secret,
});
const secretYaml = `apiVersion: v1
kind: Secret
metadata: {name: state-creds, namespace: ${NS}}
stringData: {AWS_ACCESS_KEY_ID: ${ACCESS_KEY}, AWS_SECRET_ACCESS_KEY: ${SECRET_KEY}}
`;

interface ClusterJson {
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}
const getCluster = async (name: string) =>
  JSON.parse(await cp.kubectlOk(["get", "cluster", name, "-n", NS, "-o", "json"])) as ClusterJson;
const ready = (cluster: ClusterJson) =>
  cluster.status?.conditions?.find((c) => c.type === "InfrastructureReady")?.status === "True";

beforeAll(async () => {
  await createBucket(endpoint, BUCKET);
  env = await startControlPlaneAndControllers(NS, { logger: capturingLogger(logs) });
  ({ cp, controllers } = env);
  await cp.kubectlOk(
    ["apply", "-f", "-"],
    [
      secretYaml,
      awsClusterYaml({
        name: "with-creds",
        namespace: NS,
        net: "10.81",
        annotations: s3Annotations("state-creds"),
      }),
      awsClusterYaml({ name: "no-creds", namespace: NS, net: "10.82", annotations: s3Annotations("absent") }),
    ].join("---\n"),
  );
});

afterAll(() => env?.stop());

describe("s3 backend credentials from a Secret", () => {
  it("converges with the Secret's credentials given to init, never written into the configuration", async () => {
    await eventually(async () => ready(await getCluster("with-creds")), "with-creds converged", 300_000);
    const state = await getObject(endpoint, BUCKET, `clusterform/${NS}/with-creds/terraform.tfstate`);
    expect(state).toContain("aws_vpc");
    const workDir = join(controllers?.stateDir ?? "", NS, "with-creds");
    // Terraform's record of its backend holds what init was given: the Secret's keys.
    const backend = JSON.parse(await readFile(join(workDir, ".terraform", "terraform.tfstate"), "utf8")) as {
      backend: { config: Record<string, unknown> };
    };
    expect(backend.backend.config).toMatchObject({ access_key: ACCESS_KEY, secret_key: SECRET_KEY });
    expect(await readFile(join(workDir, "cdk.tf.json"), "utf8")).not.toContain(SECRET_KEY);
    const everything = await cp.kubectlOk([
      "get",
      "clusters,machines,events,configmaps",
      "-n",
      NS,
      "-o",
      "json",
    ]);
    expect(everything).toContain("with-creds");
    expect(everything).not.toContain(SECRET_KEY);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join("\n")).not.toContain(SECRET_KEY);
  });

  it("reports a missing Secret on the Cluster (retried, not terminal), naming it and what to do", async () => {
    const condition = await eventually(
      async () =>
        (await getCluster("no-creds")).status?.conditions?.find(
          (c) => c.type === "Ready" && c.reason === "BackendCredentialsMissing",
        ),
      "no-creds reports the missing Secret",
      120_000,
    );
    expect(condition?.status).toBe("False");
    expect(condition?.message).toMatch(/Secret backend-creds\/absent .* not found: create it/);
  });
});
