import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CHEAP_DRIFT_RECORD_FILE } from "../src/controllers/cluster/cheap-drift.js";
import { consoleLogger, type Logger } from "../src/controllers/runtime/logger.js";
import {
  createTags,
  describeInstances,
  type SandboxInstance,
  terminateInstances,
} from "../src/sandbox/ec2.js";
import { awsClusterYaml, awsMachineYaml } from "./helpers/aws-manifests.js";
import { conditionOf, objectsIn } from "./helpers/cluster-objects.js";
import { eventually, startTestControlPlane, type TestControlPlane } from "./helpers/control-plane.js";
import { type ControllerHarness, capturingLogger, startControllers } from "./helpers/controllers.js";

// Drift end to end: an instance terminated and a tag changed directly in the
// AWS emulator are found by the cheap check (a DescribeInstances every 5s
// here, full plans only every hour), which plans at once; the plan names them
// in an Event and the Drifted condition, corrected under auto; under manual
// the correcting plan waits for approval and the Machine whose instance is
// gone says so (Ready=False, InstanceTerminated). Quiet cheap checks run no
// Terraform.
const endpoint = inject("awsEndpoint");
const mirror = inject("providerMirror");
const NS = "drift-e2e";
const CLUSTER = "drifty";

let cp: TestControlPlane;
let controllers: ControllerHarness | undefined;
let objects: ReturnType<typeof objectsIn>;
/** Every controller log line: the "planning" lines say why a plan ran. */
const logLines: string[] = [];
/** Terraform processes running now, and when one last started or ended. */
const terraform = { running: 0, lastChange: Date.now() };

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface ClusterJson {
  status?: {
    lastAppliedPlan?: string;
    plan?: { id: string; state: string };
    lastDriftCheck?: string;
    conditions?: Condition[];
  };
}

const clusterYaml = (policy: string, driftInterval = "5s") =>
  awsClusterYaml({
    name: CLUSTER,
    namespace: NS,
    net: "10.2",
    annotations: {
      "clusterform.io/apply-policy": policy,
      "clusterform.io/drift-interval": driftInterval,
      "clusterform.io/full-drift-interval": "1h",
    },
  });
const machineYaml = (name: string) => awsMachineYaml({ name, namespace: NS, cluster: CLUSTER });

const getCluster = async (): Promise<ClusterJson> =>
  JSON.parse(await cp.kubectlOk(["get", "cluster", CLUSTER, "-n", NS, "-o", "json"])) as ClusterJson;
const condition = (c: ClusterJson, type: string) => c.status?.conditions?.find((x) => x.type === type);
const live = async (): Promise<Map<string, SandboxInstance>> => {
  const all = await describeInstances(endpoint, { "tag:clusterform.io/cluster": `${NS}/${CLUSTER}` });
  const running = all.filter((i) => i.state !== "terminated" && i.state !== "shutting-down");
  return new Map(running.map((i) => [i.tags["clusterform.io/machine"] ?? "", i]));
};
const eventsOf = (reason: string) => objectsIn(cp, NS).events(CLUSTER, reason);

/** No Terraform process running, and none started or ended for 3 s: no check is under way. */
const quiet = () =>
  eventually(
    () => terraform.running === 0 && Date.now() - terraform.lastChange > 3_000,
    "no Terraform run under way",
    240_000,
  );

/** When the cheap check last ran (its record beside the cluster's state). */
const lastCheapCheck = async (): Promise<string | undefined> => {
  const file = join(controllers?.stateDir ?? "", NS, CLUSTER, CHEAP_DRIFT_RECORD_FILE);
  const text = await readFile(file, "utf8").catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as { checkedAt: string }).checkedAt;
};
const plansRun = () => controllers?.terraformRuns.plan ?? 0;
const plannedBecause = () => logLines.filter((line) => line.includes(" planning ")).join("\n");

function bothLoggers(a: Logger, b: Logger): Logger {
  const both =
    (level: "debug" | "info" | "warn" | "error") => (message: string, fields?: Record<string, unknown>) => {
      a[level](message, fields);
      b[level](message, fields);
    };
  return { debug: both("debug"), info: both("info"), warn: both("warn"), error: both("error") };
}

const terminate = (id: string) => terminateInstances(endpoint, [id]);
const retag = (id: string, value: string) => createTags(endpoint, id, { Name: value });

beforeAll(async () => {
  cp = await startTestControlPlane();
  await cp.kubectlOk(["create", "namespace", NS]);
  objects = objectsIn(cp, NS);
  controllers = await startControllers({
    cp,
    namespace: NS,
    endpoint,
    providerMirror: mirror,
    logger: bothLoggers(capturingLogger(logLines), consoleLogger("warn", "drift-e2e")),
    converge: {
      onEvent: (_cluster, event) => {
        if (event.type !== "run_start" && event.type !== "run_end") return;
        terraform.running += event.type === "run_start" ? 1 : -1;
        terraform.lastChange = Date.now();
      },
    },
  });
});

afterAll(async () => {
  await controllers?.stop();
  await cp?.stop();
});

describe("drift", () => {
  it("under auto: a terminated instance and a changed tag are reported, then corrected", async () => {
    await cp.kubectlOk(
      ["apply", "-f", "-"],
      [clusterYaml("auto"), machineYaml("d1"), machineYaml("d2")].join("---\n"),
    );
    const before = await eventually(
      async () => {
        // Converged: the apply finished (tampering earlier would fail the apply, not drift).
        const cluster = await getCluster();
        const instances = await live();
        const running = [...instances.values()].every((i) => i.state === "running");
        return cluster.status?.lastAppliedPlan && instances.size === 2 && running ? instances : undefined;
      },
      "two running instances after the first apply",
      300_000,
    );
    const d1 = before?.get(`${NS}/d1`)?.instanceId ?? "";
    const d2 = before?.get(`${NS}/d2`)?.instanceId ?? "";

    // Quiet: cheap checks keep running (their record moves on) and no Terraform plan runs.
    await quiet();
    const plansBefore = plansRun();
    const first = await eventually(lastCheapCheck, "a first cheap drift check", 60_000);
    const later = await eventually(
      async () => {
        const at = await lastCheapCheck();
        return at && Date.parse(at) >= Date.parse(first ?? "") + 8_000 ? at : undefined;
      },
      "cheap drift checks continuing for 8 s",
      60_000,
    );
    expect(Date.parse(later ?? "")).toBeGreaterThan(Date.parse(first ?? ""));
    expect(plansRun()).toBe(plansBefore);

    await terminate(d1);
    await retag(d2, "renamed-by-hand");
    const tampered = Date.now();

    // A check already under way may see one change and the next check the other: read every Event.
    const detected = (await eventually(
      async () => {
        const all = (await eventsOf("DriftDetected")).join("\n");
        return all.includes("machine_d1 (deleted)") && all.includes("machine_d2 (updated") ? all : undefined;
      },
      "DriftDetected Events naming both changes",
      300_000,
    )) as string;
    // Found by the cheap check, long before the hourly full plan (a plan takes minutes on a loaded machine).
    expect(Date.now() - tampered).toBeLessThan(600_000);
    expect(plannedBecause()).toContain(
      `the cheap drift check found: Machine d1: instance ${d1} is terminated`,
    );
    expect(detected).toContain("aws_instance.machine_d1 (deleted)");
    // As Terraform reports it: drift ("old -> new"), or the restoring change ("is X, configured Y").
    expect(detected).toMatch(
      /aws_instance\.machine_d2 \(updated: tags\.Name ("d2" -> "renamed-by-hand"|is "renamed-by-hand", configured "d2")/,
    );

    const healed = await eventually(
      async () => {
        const instances = await live();
        const fresh = instances.get(`${NS}/d1`);
        const tagged = instances.get(`${NS}/d2`)?.tags.Name === "d2";
        return fresh && fresh.instanceId !== d1 && tagged ? instances : undefined;
      },
      "d1 recreated and d2's tag restored",
      300_000,
    );
    expect(healed?.get(`${NS}/d2`)?.instanceId).toBe(d2);
    // The emulator shows the new instance while the apply still waits for it to run: give the apply its time.
    const cluster = await eventually(
      async () => {
        const c = await getCluster();
        return condition(c, "Drifted")?.reason === "DriftCorrected" ? c : undefined;
      },
      "Drifted=False DriftCorrected",
      300_000,
    );
    expect(condition(cluster as ClusterJson, "Drifted")?.status).toBe("False");
    expect(condition(cluster as ClusterJson, "Drifted")?.message).toContain(
      "aws_instance.machine_d1 (deleted)",
    );
    expect(cluster?.status?.lastDriftCheck).toBeTruthy();
    // The Machine is itself again, with its new instance.
    const fresh = healed?.get(`${NS}/d1`)?.instanceId ?? "";
    const d1Machine = await eventually(
      async () => {
        const m = await objects.machine("d1");
        return m?.status?.providerID === `aws:////${fresh}` ? m : undefined;
      },
      "Machine d1 showing its new instance",
      60_000,
    );
    expect(d1Machine?.status?.phase).toBe("Running");
    expect(conditionOf(d1Machine, "Ready")).toMatchObject({ status: "True", reason: "InstanceRunning" });
  });

  it("under manual: the correcting plan waits for approval while Drifted=True and the Machine name the change", async () => {
    // Checks paused while tampering, so that one check sees both changes (none runs while a plan is held).
    await cp.kubectlOk(["apply", "-f", "-"], clusterYaml("manual", "off"));
    await quiet();
    const before = await live();
    const d1 = before.get(`${NS}/d1`)?.instanceId ?? "";
    const d2 = before.get(`${NS}/d2`)?.instanceId ?? "";
    await terminate(d1);
    await retag(d2, "changed-again");
    await cp.kubectlOk(["apply", "-f", "-"], clusterYaml("manual"));
    const held = (await eventually(
      async () => {
        const c = await getCluster();
        return c.status?.plan?.state === "Pending" ? c : undefined;
      },
      "a held correcting plan",
      300_000,
    )) as ClusterJson;
    const heldId = held.status?.plan?.id ?? "";
    expect(condition(held, "Drifted")).toMatchObject({ status: "True", reason: "DriftDetected" });
    expect(condition(held, "Drifted")?.message).toContain("aws_instance.machine_d1 (deleted)");
    expect(condition(held, "Drifted")?.message).toMatch(
      /aws_instance\.machine_d2 \(updated: tags\.Name ("d2" -> "changed-again"|is "changed-again", configured "d2")/,
    );
    expect(condition(held, "PlanPending")?.status).toBe("True");
    expect((await live()).get(`${NS}/d2`)?.tags.Name).toBe("changed-again");
    expect((await live()).has(`${NS}/d1`)).toBe(false);

    // The Machine whose instance is gone is not Ready, says why and what it waits for.
    const d1Machine = await eventually(async () => {
      const m = await objects.machine("d1");
      return conditionOf(m, "Ready")?.reason === "InstanceTerminated" ? m : undefined;
    }, "Machine d1 Ready=False InstanceTerminated");
    expect(d1Machine?.status?.phase).not.toBe("Running");
    expect(d1Machine?.status?.providerStatus?.instanceState).toBe("terminated");
    const ready = conditionOf(d1Machine, "Ready");
    expect(ready?.status).toBe("False");
    expect(ready?.message).toContain(`instance ${d1} was terminated or deleted outside Terraform`);
    expect(ready?.message).toContain(`waiting for approval of plan ${heldId}`);
    expect(ready?.message).toContain(`clusterform.io/approve-plan=${heldId}`);
    expect(conditionOf(await objects.machine("d2"), "Ready")?.status).toBe("True");
    expect(condition(await getCluster(), "Ready")).toMatchObject({
      status: "False",
      reason: "MachinesNotReady",
    });
  });
});
