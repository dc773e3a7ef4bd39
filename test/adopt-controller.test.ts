import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { consoleLogger } from "../src/controllers/runtime/logger.js";
import {
  createSubnet,
  createTags,
  createVpc,
  describeInstances,
  liveInstances,
  runInstance,
  type SandboxInstance,
} from "../src/sandbox/ec2.js";
import { awsClusterYaml, awsMachineYaml, TEST_AMI } from "./helpers/aws-manifests.js";
import { conditionOf, objectsIn } from "./helpers/cluster-objects.js";
import { eventually, type TestControlPlane } from "./helpers/control-plane.js";
import {
  type ControlPlaneAndControllers,
  startControlPlaneAndControllers,
} from "./helpers/e2e-controllers.js";

// Data safety under the controller (issue 14), against the emulator:
// - a Machine adopting an instance in another subnet than its Cluster's: the
//   plan would replace it, so it is held under `auto`, naming subnet_id, and
//   the instance keeps running; only approving that plan id replaces it;
// - a Machine adopting a matching instance: applied under `auto`, same instance;
// - a drift plan held under `manual` is applied promptly once the policy
//   becomes `auto` (no new plan, no waiting for a drift interval).
const endpoint = inject("awsEndpoint");
const NS = "adopt-safety";
const GUARDED = "guarded";
const MATCHED = "matched";

let env: ControlPlaneAndControllers | undefined;
let cp: TestControlPlane;
let objects: ReturnType<typeof objectsIn>;
let vpcId: string;
const subnets = { guarded: "", elsewhere: "", matched: "" };
let foreign: SandboxInstance;
let matching: SandboxInstance;
/** Terraform applies per cluster name. */
const applies: Record<string, number> = {};
const refused: Record<string, number> = {};

const clusterYaml = (name: string, subnetId: string, annotations: Record<string, string>) =>
  awsClusterYaml({ name, namespace: NS, network: { vpcId, subnetId }, annotations });
const adopting = (cluster: string, instanceId: string) =>
  awsMachineYaml({
    name: `${cluster}-legacy`,
    namespace: NS,
    cluster,
    annotations: { "clusterform.io/adopt-instance-id": instanceId, "clusterform.io/on-delete": "orphan" },
  });
const stateOf = async (id: string) => (await describeInstances(endpoint, { "instance-id": id }))[0];
const kubectlAnnotate = (...pairs: string[]) =>
  cp.kubectlOk(["annotate", "cluster", MATCHED, "-n", NS, "--overwrite", ...pairs]);

beforeAll(async () => {
  vpcId = await createVpc(endpoint, "10.71.0.0/16");
  const subnet = (cidr: string) =>
    createSubnet(endpoint, { vpcId, cidrBlock: cidr, availabilityZone: "us-east-1a" });
  subnets.guarded = await subnet("10.71.1.0/24");
  subnets.elsewhere = await subnet("10.71.2.0/24");
  subnets.matched = await subnet("10.71.3.0/24");
  const launch = (subnetId: string) =>
    runInstance(endpoint, { imageId: TEST_AMI, instanceType: "t3.micro", subnetId });
  foreign = await launch(subnets.elsewhere);
  matching = await launch(subnets.matched);
  env = await startControlPlaneAndControllers(NS, {
    logger: consoleLogger("warn", "adopt-safety"),
    converge: {
      onEvent: (cluster, event) => {
        // An apply that ran; a one-run apply Terraform refused (it would destroy) changed nothing.
        if (event.type === "run_end" && event.operation === "apply" && event.result !== "refused")
          applies[cluster.name] = (applies[cluster.name] ?? 0) + 1;
        if (event.type === "run_end" && event.result === "refused")
          refused[cluster.name] = (refused[cluster.name] ?? 0) + 1;
      },
    },
  });
  cp = env.cp;
  objects = objectsIn(cp, NS);
  await cp.kubectlOk(
    ["apply", "-f", "-"],
    [
      clusterYaml(GUARDED, subnets.guarded, { "clusterform.io/apply-policy": "auto" }),
      adopting(GUARDED, foreign.instanceId),
      clusterYaml(MATCHED, subnets.matched, {
        "clusterform.io/apply-policy": "auto",
        "clusterform.io/drift-interval": "off",
      }),
      adopting(MATCHED, matching.instanceId),
    ].join("---\n"),
  );
});

afterAll(() => env?.stop());

describe("adoption under the controller", () => {
  let heldId = "";

  it("holds under auto a plan that would replace the adopted instance, naming subnet_id", async () => {
    const cluster = await eventually(
      async () => {
        const c = await objects.cluster(GUARDED);
        return c?.status?.plan?.state === "Pending" ? c : undefined;
      },
      "the guarded cluster's plan held",
      300_000,
    );
    const plan = cluster?.status?.plan as { id: string; replace: number; heldBecause?: string };
    heldId = plan.id;
    const cause = `replaces adopted instance ${foreign.instanceId} (Machine ${GUARDED}-legacy): subnet_id forces replacement`;
    expect(plan.replace).toBe(1);
    expect(plan.heldBecause).toContain(cause);
    const pending = conditionOf(cluster, "PlanPending");
    expect(pending).toMatchObject({ status: "True", reason: "AwaitingApproval" });
    expect(pending?.message).toContain(cause);
    expect(pending?.message).toContain(`clusterform.io/approve-plan=${heldId}`);
    const machine = await eventually(async () => {
      const m = await objects.machine(`${GUARDED}-legacy`);
      return conditionOf(m, "PlanPending")?.status === "True" ? m : undefined;
    }, "the Machine's PlanPending condition");
    expect(conditionOf(machine, "PlanPending")).toMatchObject({ reason: "InstanceReplacement" });
    expect(conditionOf(machine, "PlanPending")?.message).toContain("subnet_id forces replacement");
    const held = await objects.events(GUARDED, "ApplyHeld");
    expect(held.join("\n")).toContain(cause);
    expect((await objects.events(`${GUARDED}-legacy`, "AdoptedInstanceProtected")).join("\n")).toContain(
      `plan ${heldId} ${cause}`,
    );
    // Not applied: the user's instance runs where it was, nothing new in the cluster's subnet. Under
    // auto the new cluster was first tried in one run, which Terraform refused before any change.
    expect(applies[GUARDED] ?? 0).toBe(0);
    expect(refused[GUARDED]).toBe(1);
    expect((await stateOf(foreign.instanceId))?.state).toBe("running");
    expect(await liveInstances(endpoint, { "subnet-id": subnets.guarded })).toEqual([]);
  });

  it("applies an adoption that matches the instance, with no replacement", async () => {
    const machine = await eventually(
      async () => {
        const m = await objects.machine(`${MATCHED}-legacy`);
        return m?.status?.providerID ? m : undefined;
      },
      "the matching Machine provisioned",
      300_000,
    );
    expect(machine?.status?.providerID).toBe(`aws:////${matching.instanceId}`);
    // The adopted instance is the one that runs, and nothing flagged it for replacement. (Not "0 destroyed":
    // under load the emulator sometimes refuses a new security group's egress rule as a duplicate, Terraform
    // taints that group, and the next apply replaces the group - a destroy that never touches the instance.)
    expect(await objects.events(`${MATCHED}-legacy`, "AdoptedInstanceProtected")).toEqual([]);
    expect((await stateOf(matching.instanceId))?.state).toBe("running");
    const live = await liveInstances(endpoint, { "subnet-id": subnets.matched });
    expect(live.map((i) => i.instanceId)).toEqual([matching.instanceId]);
    // Still held, still running, still no apply for the guarded cluster meanwhile.
    expect(applies[GUARDED] ?? 0).toBe(0);
    expect((await stateOf(foreign.instanceId))?.state).toBe("running");
  });

  it("follows a policy change: a drift plan held under manual is applied promptly once auto", async () => {
    await kubectlAnnotate("clusterform.io/apply-policy=manual");
    await createTags(endpoint, matching.instanceId, { Name: "renamed-by-hand" });
    await kubectlAnnotate("clusterform.io/drift-interval=5s");
    const held = await eventually(
      async () => {
        const c = await objects.cluster(MATCHED);
        return c?.status?.plan?.state === "Pending" ? c : undefined;
      },
      "the drift plan held under manual",
      180_000,
    );
    const driftPlan = held?.status?.plan?.id ?? "";
    expect(conditionOf(held, "Drifted")?.status).toBe("True");
    const appliesBefore = applies[MATCHED] ?? 0;

    const switchedAt = Date.now();
    await kubectlAnnotate("clusterform.io/apply-policy=auto");
    const applied = await eventually(
      async () => {
        const c = await objects.cluster(MATCHED);
        return c?.status?.lastAppliedPlan === driftPlan ? c : undefined;
      },
      "the held drift plan applied after the switch to auto",
      90_000,
    );
    const seconds = (Date.now() - switchedAt) / 1000;
    console.log(`held plan applied ${seconds.toFixed(1)} s after the switch to auto`);
    expect(applied?.status?.plan).toMatchObject({ id: driftPlan, state: "Applied" });
    expect(applies[MATCHED]).toBe(appliesBefore + 1);
    expect((await objects.events(MATCHED, "PlanReleasedByPolicy")).join("\n")).toContain(
      `plan ${driftPlan} held before is applied: apply policy auto now applies it`,
    );
    expect((await stateOf(matching.instanceId))?.tags.Name).not.toBe("renamed-by-hand");
    // No more drift checks: the last case concerns the other cluster.
    await kubectlAnnotate("clusterform.io/drift-interval=off");
  });

  it("replaces the adopted instance only once that plan's id is approved", async () => {
    expect((await stateOf(foreign.instanceId))?.state).toBe("running");
    await cp.kubectlOk(["annotate", "cluster", GUARDED, "-n", NS, `clusterform.io/approve-plan=${heldId}`]);
    const cluster = await eventually(
      async () => {
        const c = await objects.cluster(GUARDED);
        return c?.status?.lastAppliedPlan === heldId ? c : undefined;
      },
      "the approved plan applied",
      300_000,
    );
    expect(cluster?.status?.plan?.state).toBe("Applied");
    expect((await objects.events(GUARDED, "PlanApproved")).join("\n")).toContain(`plan ${heldId} approved`);
    const [replacement] = await liveInstances(endpoint, { "subnet-id": subnets.guarded });
    expect(replacement?.instanceId).toBeDefined();
    expect(replacement?.instanceId).not.toBe(foreign.instanceId);
  });
});
