import type { FieldError } from "../api/field-error.js";
import { errorAt, identify } from "../api/field-error.js";
import type { Machine } from "../api/machine.js";
import { classProviderSpec, type MachineClass } from "../api/machine-class.js";
import { machineClassRef } from "../api/provider-spec.js";
import {
  checkMachineProviderSpec,
  type MachineProviderSpec,
  type ProviderName,
} from "../api/provider-specs.js";
import { validateObject } from "../api/validate.js";

export type ResolvedProviderSpec =
  | { ok: true; provider: ProviderName; spec: MachineProviderSpec; machineClass?: string; path: string }
  | { ok: false; errors: FieldError[] };

/** MachineClasses by namespace/name, each validated once, on first use. */
export class MachineClassIndex {
  private readonly classes = new Map<string, MachineClass[]>();
  private readonly checked = new Map<MachineClass, FieldError[]>();

  constructor(machineClasses: readonly MachineClass[]) {
    for (const machineClass of machineClasses) {
      const { namespace, name } = identify(machineClass);
      if (name === undefined) continue;
      const key = `${namespace}/${name}`;
      this.classes.set(key, [...(this.classes.get(key) ?? []), machineClass]);
    }
  }

  /** The one class of that name, or why there is none to use. */
  find(namespace: string, name: string): { machineClass: MachineClass } | { message: string } {
    const found = this.classes.get(`${namespace}/${name}`) ?? [];
    const [machineClass] = found;
    if (!machineClass) return { message: `MachineClass ${namespace}/${name} not found` };
    if (found.length > 1) return { message: `MachineClass ${namespace}/${name} is defined more than once` };
    return { machineClass };
  }

  errorsOf(machineClass: MachineClass): FieldError[] {
    let errors = this.checked.get(machineClass);
    if (!errors) {
      errors = validateObject(machineClass);
      this.checked.set(machineClass, errors);
    }
    return errors;
  }
}

/**
 * A Machine's provider spec: inline, or its MachineClass's (the class's
 * namespace defaults to the Machine's). Errors in the class are reported on
 * the class; a missing class on the Machine.
 */
export function resolveProviderSpec(machine: Machine, classes: MachineClassIndex): ResolvedProviderSpec {
  const ref = machineClassRef(machine.spec.providerSpec);
  if (!ref) {
    const path = "spec.providerSpec.value";
    const checked = checkMachineProviderSpec(machine.spec.providerSpec.value, path);
    if (!checked.ok)
      return { ok: false, errors: checked.errors.map((e) => errorAt(machine, e.path, e.message)) };
    return { ok: true, provider: checked.provider, spec: structuredClone(checked.spec), path };
  }
  const namespace = ref.namespace ?? identify(machine).namespace;
  const found = classes.find(namespace, ref.name);
  const refPath = "spec.providerSpec.valueFrom.machineClass";
  if ("message" in found) return { ok: false, errors: [errorAt(machine, refPath, found.message)] };
  const classErrors = classes.errorsOf(found.machineClass);
  if (classErrors.length) return { ok: false, errors: classErrors };
  const located = classProviderSpec(found.machineClass);
  const checked = checkMachineProviderSpec(located?.value, located?.path ?? "providerSpec");
  if (!checked.ok)
    return { ok: false, errors: checked.errors.map((e) => errorAt(found.machineClass, e.path, e.message)) };
  return {
    ok: true,
    provider: checked.provider,
    spec: structuredClone(checked.spec),
    machineClass: ref.name,
    path: refPath,
  };
}
