/**
 * Machines that name no Cluster, against the embedded control plane with
 * kubectl (no Terraform): the controller reports them on the Machine
 * (Ready=False, ClusterNotFound, one Warning Event per verdict) and clears
 * the report when the Cluster appears.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { machineClusterController } from "../../src/controllers/machine/index.js";
import { conditionOf, objectsIn } from "../helpers/cluster-objects.js";
import { eventually, type TestControlPlane } from "../helpers/control-plane.js";
import { PROVIDER_SPEC, startControlPlaneWith } from "./machine-helpers.js";

let cp: TestControlPlane;
let stop: (() => Promise<void>) | undefined;
const objects = () => objectsIn(cp, "default");

beforeAll(async () => {
  ({ cp, stop } = await startControlPlaneWith((m) => [machineClusterController(m)]));
});
afterAll(async () => {
  await stop?.();
});

const machine = (name: string, labels = "{}") => `
apiVersion: cluster.k8s.io/v1alpha1
kind: Machine
metadata: { name: ${name}, namespace: default, labels: ${labels} }
spec: { providerSpec: ${PROVIDER_SPEC} }
`;

const readyOf = async (name: string) => conditionOf(await objects().machine(name), "Ready");

describe("a Machine that names no Cluster", () => {
  it("without the cluster label: Ready=False ClusterNotFound naming the label, one Warning Event", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], machine("unlabelled"));
    const ready = await eventually(
      async () =>
        (await readyOf("unlabelled"))?.reason === "ClusterNotFound" ? readyOf("unlabelled") : undefined,
      "the ClusterNotFound condition",
    );
    expect(ready).toMatchObject({ status: "False", reason: "ClusterNotFound" });
    expect(ready?.message).toContain(
      "Machine default/unlabelled: metadata.labels[cluster.k8s.io/cluster-name]",
    );
    expect(ready?.message).toContain(
      "kubectl label machine unlabelled cluster.k8s.io/cluster-name=<cluster>",
    );
    await eventually(
      async () => (await objects().events("unlabelled", "ClusterNotFound")).length === 1,
      "the Event",
    );
    // More passes with the same verdict (a change to the Machine) bring no second Event.
    await cp.kubectlOk(["annotate", "machine", "unlabelled", "touched=1"]);
    await cp.kubectlOk(["annotate", "machine", "unlabelled", "touched=2", "--overwrite"]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await objects().events("unlabelled", "ClusterNotFound")).toHaveLength(1);
    const counts = await cp.kubectlOk([
      "get",
      "events",
      "--field-selector",
      "involvedObject.name=unlabelled,reason=ClusterNotFound",
      "-o",
      "jsonpath={.items[*].count}",
    ]);
    expect(counts.trim()).toBe("1");
  });

  it("labelled for a Cluster that does not exist: reported, then cleared when the Cluster appears", async () => {
    await cp.kubectlOk(["apply", "-f", "-"], machine("waiting", "{ cluster.k8s.io/cluster-name: ghost }"));
    const ready = await eventually(
      async () => ((await readyOf("waiting"))?.reason === "ClusterNotFound" ? readyOf("waiting") : undefined),
      "the ClusterNotFound condition",
    );
    expect(ready?.message).toContain("Cluster default/ghost not found");
    expect(await objects().events("waiting", "ClusterNotFound")).toEqual([ready?.message]);

    await cp.kubectlOk(
      ["apply", "-f", "-"],
      "apiVersion: cluster.k8s.io/v1alpha1\nkind: Cluster\nmetadata: { name: ghost, namespace: default }\nspec: {}\n",
    );
    const cleared = await eventually(
      async () => ((await readyOf("waiting"))?.reason === "ClusterFound" ? readyOf("waiting") : undefined),
      "the report cleared",
    );
    expect(cleared).toMatchObject({ status: "Unknown", reason: "ClusterFound" });
    expect(await objects().events("waiting", "ClusterFound")).toHaveLength(1);
    // The Machine without a label is still reported.
    expect((await readyOf("unlabelled"))?.reason).toBe("ClusterNotFound");
  });

  it("a Machine created with its Cluster is never reported", async () => {
    await cp.kubectlOk(
      ["apply", "-f", "-"],
      `apiVersion: cluster.k8s.io/v1alpha1\nkind: Cluster\nmetadata: { name: real, namespace: default }\nspec: {}\n---\n${machine("fine", "{ cluster.k8s.io/cluster-name: real }")}`,
    );
    await eventually(async () => (await objects().machine("fine")) !== undefined, "the Machine");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await readyOf("fine")).toBeUndefined();
    expect(await objects().events("fine", "ClusterNotFound")).toEqual([]);
  });
});
