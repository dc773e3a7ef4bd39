import { describe, expect, it } from "vitest";
import { formatFieldError } from "../api/field-error.js";
import type { MachineDeployment } from "../api/machine-set.js";
import { CLUSTER_NAME_LABEL } from "../api/meta.js";
import { expandMachines, machinesOf } from "./expand.js";
import { AWS_MACHINE_SPEC, machine, machineSet } from "./test-objects.js";

describe("machinesOf", () => {
  it("names machines <owner>-<index> from 0 with the template's labels plus the cluster label", () => {
    const machines = machinesOf(machineSet("pool", "c", 3));
    expect(machines.map((m) => m.metadata.name)).toEqual(["pool-0", "pool-1", "pool-2"]);
    expect(machines[0]?.metadata.labels).toEqual({ pool: "pool", [CLUSTER_NAME_LABEL]: "c" });
    expect(machines[0]?.spec.providerSpec.value).toEqual(AWS_MACHINE_SPEC);
  });

  it("takes the cluster label from the selector when the owner and template lack it", () => {
    const set = machineSet("pool", "c", 1);
    set.metadata.labels = {};
    set.spec.selector.matchLabels = { pool: "pool", [CLUSTER_NAME_LABEL]: "from-selector" };
    expect(machinesOf(set)[0]?.metadata.labels?.[CLUSTER_NAME_LABEL]).toBe("from-selector");
  });

  it("defaults replicas to 1 and expands 0 replicas into nothing", () => {
    const one = machineSet("pool", "c", 1);
    delete one.spec.replicas;
    expect(machinesOf(one)).toHaveLength(1);
    expect(machinesOf(machineSet("pool", "c", 0))).toEqual([]);
  });

  it("copies the template spec so machines never share objects", () => {
    const [first, second] = machinesOf(machineSet("pool", "c", 2));
    expect(first?.spec).not.toBe(second?.spec);
    expect(first?.spec.providerSpec.value).not.toBe(second?.spec.providerSpec.value);
  });

  it("expands a MachineDeployment straight into machines named after it", () => {
    const deployment = {
      ...machineSet("web", "c", 2),
      kind: "MachineDeployment",
    } as unknown as MachineDeployment;
    expect(machinesOf(deployment).map((m) => m.metadata.name)).toEqual(["web-0", "web-1"]);
  });
});

describe("expandMachines", () => {
  it("is independent of the order owners arrive in", () => {
    const a = machineSet("a", "c", 1);
    const b = machineSet("b", "c", 1);
    const forward = expandMachines({ machines: [], machineSets: [a, b], machineDeployments: [] });
    const backward = expandMachines({ machines: [], machineSets: [b, a], machineDeployments: [] });
    expect(backward).toEqual(forward);
  });

  it("reports an owner whose machine name is already taken and skips its machines", () => {
    const result = expandMachines({
      machines: [machine("pool-1", "c", { value: AWS_MACHINE_SPEC })],
      machineSets: [machineSet("pool", "c", 2)],
      machineDeployments: [],
    });
    expect(result.machines).toEqual([]);
    expect(result.errors.map(formatFieldError)).toEqual([
      "MachineSet default/pool: metadata.name: its Machine pool-1 clashes with Machine default/pool-1: rename one of them",
    ]);
  });
});

describe("expanded names", () => {
  const deployment = (name: string, replicas: number) =>
    ({ ...machineSet(name, "c", replicas), kind: "MachineDeployment" }) as unknown as MachineDeployment;

  it("names a MachineDeployment's Machines <name>-md-<index> when a MachineSet shares its name", () => {
    const result = expandMachines({
      machines: [],
      machineSets: [machineSet("pool", "c", 2)],
      machineDeployments: [deployment("pool", 2)],
    });
    expect(result.errors).toEqual([]);
    expect(result.machines.map((m) => m.metadata.name)).toEqual([
      "pool-0",
      "pool-1",
      "pool-md-0",
      "pool-md-1",
    ]);
  });

  it("keeps <name>-<index> for a MachineDeployment whose name no MachineSet has", () => {
    const result = expandMachines({
      machines: [],
      machineSets: [machineSet("other", "c", 1)],
      machineDeployments: [deployment("pool", 1)],
    });
    expect(result.machines.map((m) => m.metadata.name)).toEqual(["other-0", "pool-0"]);
  });

  it("rejects an owner whose longest Machine name would not fit a DNS label, before expanding", () => {
    const result = expandMachines({
      machines: [],
      machineSets: [machineSet("a".repeat(62), "c", 10)],
      machineDeployments: [],
    });
    expect(result.machines).toEqual([]);
    expect(result.errors.map((e) => [e.path, e.message.slice(0, 20)])).toEqual([
      ["metadata.name", "too long to name its"],
    ]);
  });

  it("allocates nothing for replicas beyond the maximum, whatever the caller skipped", () => {
    for (const replicas of [100_000_000, 1e12, 2 ** 32, Number.POSITIVE_INFINITY, -1, 1.5]) {
      expect(machinesOf(machineSet("pool", "c", replicas))).toEqual([]);
      const result = expandMachines({
        machines: [],
        machineSets: [machineSet("pool", "c", replicas)],
        machineDeployments: [],
      });
      expect(result.errors.map((e) => e.path)).toEqual(["spec.replicas"]);
    }
  });
});
