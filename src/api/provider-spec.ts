import { type Static, Type } from "@sinclair/typebox";
import { ObjectReferenceSchema } from "./meta.js";
import { OpaqueObject, Opt } from "./schema-helpers.js";

/**
 * Where a Machine's provider-specific configuration comes from: inline
 * (`value`, kept as written and checked by the provider's own schema) or a
 * MachineClass (`valueFrom.machineClass`). Exactly one must be set.
 */
export const ProviderSpecSchema = Type.Object({
  value: Opt(OpaqueObject("Provider-specific configuration (AWS or vSphere provider spec).")),
  valueFrom: Opt(
    Type.Object({
      machineClass: Opt(
        Type.Composite([ObjectReferenceSchema, Type.Object({ provider: Opt(Type.String()) })]),
      ),
    }),
  ),
});
export type ProviderSpec = Static<typeof ProviderSpecSchema>;

/** A reference to the MachineClass a provider spec comes from. */
export interface MachineClassRef {
  name: string;
  namespace?: string;
}

/** The MachineClass a provider spec names, if it names one. */
export function machineClassRef(providerSpec: ProviderSpec | undefined): MachineClassRef | undefined {
  const ref = providerSpec?.valueFrom?.machineClass;
  if (!ref?.name) return undefined;
  return ref.namespace ? { name: ref.name, namespace: ref.namespace } : { name: ref.name };
}
