import { describe, expect, it } from "vitest";
import { versionedMachine } from "../bootstrap/test-support.js";
import { buildModels } from "./build.js";
import { awsCluster } from "./test-objects.js";

const build = (machines: ReturnType<typeof versionedMachine>[], annotations?: Record<string, string>) => {
  const cluster = awsCluster("c1");
  if (annotations) cluster.metadata.annotations = annotations;
  return buildModels({ clusters: [cluster], machines, machineClasses: [] });
};
const errorsOf = (result: ReturnType<typeof build>) =>
  (result.invalid[0]?.errors ?? []).map((e) => `${e.kind} ${e.name} ${e.path}: ${e.message}`);

describe("bootstrap version rules in buildModels (the one validation layer)", () => {
  it("rejects a version clusterform cannot render, naming the Machine and field", () => {
    const errors = errorsOf(build([versionedMachine("cp-0", "1.12.1", "1.12.1")]));
    expect(errors).toContainEqual(
      expect.stringContaining("Machine cp-0 spec.versions.controlPlane: v1.12.1 is too old"),
    );
  });

  it("rejects a kubelet newer than the control plane", () => {
    const errors = errorsOf(
      build([versionedMachine("cp-0", "1.13.6", "1.13.6"), versionedMachine("w-0", "1.14.0")]),
    );
    expect(errors).toEqual([
      expect.stringContaining("Machine w-0 spec.versions.kubelet: kubelet v1.14.0 is newer"),
    ]);
  });

  it("rejects control planes of different versions at init, but not once the init machine is recorded", () => {
    const machines = [
      versionedMachine("cp-0", "1.13.6", "1.13.6"),
      versionedMachine("cp-1", "1.13.6", "1.13.7"),
    ];
    expect(errorsOf(build(machines))).toEqual([
      expect.stringContaining("Machine cp-1 spec.versions.controlPlane: v1.13.7 differs from v1.13.6"),
    ]);
    expect(build(machines, { "clusterform.io/init-machine": "cp-0" }).models).toHaveLength(1);
    const recordedInFiles = buildModels({
      clusters: [awsCluster("c1")],
      machines,
      machineClasses: [],
      initMachines: new Map([["default/c1", "cp-0"]]),
    });
    expect(recordedInFiles.models).toHaveLength(1);
  });

  it("skips every rule when the Cluster opts out, and rejects an unknown setting", () => {
    const machines = [versionedMachine("w-0", "1.12.0")];
    expect(build(machines, { "clusterform.io/bootstrap": "disabled" }).models).toHaveLength(1);
    expect(errorsOf(build(machines, { "clusterform.io/bootstrap": "maybe" }))).toEqual([
      expect.stringContaining('Cluster c1 metadata.annotations["clusterform.io/bootstrap"]'),
    ]);
  });
});
