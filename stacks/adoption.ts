import type { ClusterModel } from "../src/model/types.js";
import { escapeTerraformTemplate } from "./literals.js";
import { machineLogicalId } from "./names.js";

/** The address of a machine's instance (also for Machines no longer in the model). */
export function instanceAddress(provider: ClusterModel["provider"], machineName: string): string {
  const type = provider === "aws" ? "aws_instance" : "vsphere_virtual_machine";
  return `${type}.${machineLogicalId(machineName)}`;
}

/**
 * Top-level `import` and `removed` blocks (Terraform >= 1.7 for `removed`):
 * an adopted Machine's instance is imported by id (a literal, escaped), and
 * an orphaned Machine's instance is forgotten, never destroyed. Both are
 * no-ops once done, so they can stay in the configuration.
 */
export function adoptionBlocks(model: ClusterModel): Record<string, unknown> {
  const imports = model.machines.flatMap((machine) =>
    machine.adoptId === undefined
      ? []
      : [{ id: escapeTerraformTemplate(machine.adoptId), to: instanceAddress(model.provider, machine.name) }],
  );
  const present = new Set(model.machines.map((machine) => machine.name));
  const removed = [...new Set(model.orphanedMachines ?? [])]
    .filter((name) => !present.has(name))
    .sort()
    .map((name) => ({ from: instanceAddress(model.provider, name), lifecycle: { destroy: false } }));
  return {
    ...(imports.length ? { import: imports } : {}),
    ...(removed.length ? { removed } : {}),
  };
}
