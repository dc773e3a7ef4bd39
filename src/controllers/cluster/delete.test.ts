import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clusterWorkDir } from "../../converge/options.js";
import { deleteCluster } from "./delete.js";
import { FakeClusterStore } from "./fake-store.js";
import { CLUSTER_FINALIZER } from "./names.js";
import { testScope } from "./test-scope.js";

let stateDir: string;
let workDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "cf-delete-"));
  workDir = clusterWorkDir(stateDir, { namespace: "default", name: "demo" });
  await mkdir(workDir, { recursive: true });
});
afterEach(() => rm(stateDir, { recursive: true, force: true }));

describe("deleteCluster", () => {
  it("destroys within the controller's run limit: no Terraform, no DestroyStarted until a slot is free", async () => {
    // A configuration it cannot read: the stack may hold resources, so a destroy is due.
    await writeFile(join(workDir, "cdk.tf.json"), "{");
    const scope = testScope([], { workDir });
    scope.cluster.metadata = {
      ...scope.cluster.metadata,
      finalizers: [CLUSTER_FINALIZER],
      deletionTimestamp: "2026-12-01T10:00:00Z",
    };
    const store = new FakeClusterStore(scope.cluster);
    const noSlot = new Error("no run slot free");
    const admissions: string[] = [];
    const context = {
      store,
      converge: { stateDir, terraformBin: "/nonexistent/terraform-must-not-run" },
      runLimit: async <T>(_task: () => Promise<T>): Promise<T> => {
        admissions.push("destroy");
        throw noSlot;
      },
    };
    await expect(deleteCluster(context, scope)).rejects.toBe(noSlot);
    expect(admissions).toEqual(["destroy"]);
    expect(store.events.map((e) => e.reason)).not.toContain("DestroyStarted");
    expect(store.cluster.metadata.finalizers).toEqual([CLUSTER_FINALIZER]);
  });
});
