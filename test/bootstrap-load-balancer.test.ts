import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ClusterRun } from "../src/converge/cluster-run.js";
import type { ClusterModel } from "../src/model/types.js";
import { describeInstances, describeInstanceUserData } from "../src/sandbox/ec2.js";
import { describeLoadBalancers, describeTargetGroupArns, describeTargets } from "../src/sandbox/elbv2.js";
import { sandboxAwsEnv } from "../src/sandbox/moto.js";
import { elbName } from "../stacks/aws/api-load-balancer.js";
import { exampleAwsModel } from "../stacks/example-models.js";
import { bootstrapVariables, CONTROL_PLANE_ENDPOINT_PLACEHOLDER } from "../stacks/index.js";

// The default endpoint mode against the emulator: a network load balancer on
// TCP 6443 with the control-plane instances registered, its DNS name in every
// machine's user data. The emulator takes about a minute for the load balancer.
const endpoint = inject("awsEndpoint");
const providerMirror = inject("providerMirror");

const base = exampleAwsModel({
  name: "lbboot",
  machines: [
    { name: "lbboot-cp-0", role: "control-plane", spec: { ami: { id: "ami-04681a1dbd79675a5" } } },
    { name: "lbboot-w-0", spec: { ami: { id: "ami-04681a1dbd79675a5" } } },
  ],
});
const model: ClusterModel = {
  ...base,
  bootstrap: { machines: ["lbboot-cp-0", "lbboot-w-0"], initMachine: "lbboot-cp-0" },
};
const data = {
  "lbboot-cp-0": `#cloud-config\n# init\nbootcmd: ["echo ${CONTROL_PLANE_ENDPOINT_PLACEHOLDER}:6443"]\n`,
  "lbboot-w-0": `#cloud-config\n# join\nbootcmd: ["echo ${CONTROL_PLANE_ENDPOINT_PLACEHOLDER}:6443"]\n`,
};

let stateDir: string;
let run: ClusterRun;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "clusterform-bootstrap-lb-"));
  run = new ClusterRun(
    model,
    { stateDir, awsEndpoint: endpoint, providerMirror, env: { ...process.env, ...sandboxAwsEnv(endpoint) } },
    bootstrapVariables(data),
  );
});

afterAll(async () => {
  if (run) {
    const destroy = await run.plan({ destroy: true });
    if (destroy.summary.hasChanges) await run.apply(destroy);
  }
  await rm(stateDir, { recursive: true, force: true });
});

describe("the API load balancer (AWS, endpoint LoadBalancer)", () => {
  it("fronts the control-plane instances on TCP 6443 and is the endpoint in every machine's user data", async () => {
    await run.prepare();
    const started = Date.now();
    const applied = await run.apply(await run.plan());
    console.log(`load balancer cluster applied in ${Math.round((Date.now() - started) / 1000)} s`);

    const [lb] = await describeLoadBalancers(endpoint, [elbName(model, "api")]);
    expect(lb?.type).toBe("network");
    const host = applied.outputs.control_plane_endpoint?.value;
    expect(host).toBe(lb?.dnsName);

    const instances = await describeInstances(endpoint, { "tag:clusterform.io/cluster": "default/lbboot" });
    const byName = new Map(instances.map((instance) => [instance.tags.Name, instance]));
    const [targetGroup, ...others] = await describeTargetGroupArns(endpoint, lb?.arn ?? "");
    expect(others).toEqual([]);
    expect(await describeTargets(endpoint, targetGroup ?? "")).toEqual([
      { id: byName.get("lbboot-cp-0")?.instanceId, port: 6443 },
    ]);

    for (const [name, value] of Object.entries(data)) {
      const instance = byName.get(name);
      const userData = gunzipSync(await describeInstanceUserData(endpoint, instance?.instanceId ?? ""));
      expect(userData.toString()).toBe(value.replaceAll(CONTROL_PLANE_ENDPOINT_PLACEHOLDER, host as string));
    }
    expect((await run.plan()).summary.hasChanges).toBe(false);
  });
});
