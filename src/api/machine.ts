import { type Static, Type } from "@sinclair/typebox";
import { type API_VERSION, ConditionSchema, type ObjectMeta, TemplateMetaSchema } from "./meta.js";
import { ProviderSpecSchema } from "./provider-spec.js";
import { OpaqueObject, Opt } from "./schema-helpers.js";

/** A Node's taint effects. */
export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

export const MachineSpecSchema = Type.Object({
  metadata: Opt(TemplateMetaSchema),
  taints: Opt(
    Type.Array(
      Type.Object({
        key: Type.String(),
        value: Opt(Type.String()),
        effect: Type.Union(TAINT_EFFECTS.map((effect) => Type.Literal(effect))),
        timeAdded: Opt(Type.String({ format: "date-time" })),
      }),
    ),
  ),
  providerSpec: ProviderSpecSchema,
  versions: Opt(
    Type.Object({
      kubelet: Type.String(),
      controlPlane: Opt(Type.String({ description: "Set on control-plane machines only." })),
    }),
  ),
  configSource: Opt(OpaqueObject()),
  providerID: Opt(Type.String()),
});
export type MachineSpec = Static<typeof MachineSpecSchema>;

export const MachineAddressSchema = Type.Object({
  type: Type.String({ description: "InternalIP, ExternalIP, InternalDNS, ExternalDNS or Hostname" }),
  address: Type.String(),
});
export type MachineAddress = Static<typeof MachineAddressSchema>;

export const MachineStatusSchema = Type.Object({
  providerID: Opt(Type.String()),
  nodeRef: Opt(OpaqueObject()),
  lastUpdated: Opt(Type.String({ format: "date-time" })),
  versions: Opt(Type.Object({ kubelet: Type.String(), controlPlane: Opt(Type.String()) })),
  errorReason: Opt(Type.String()),
  errorMessage: Opt(Type.String()),
  providerStatus: Opt(OpaqueObject("instanceID and instanceState (AWS) or the VM's uuid (vSphere).")),
  addresses: Opt(Type.Array(MachineAddressSchema)),
  phase: Opt(Type.String()),
  conditions: Opt(Type.Array(ConditionSchema)),
  observedGeneration: Opt(Type.Integer()),
});
export type MachineStatus = Static<typeof MachineStatusSchema>;

export interface Machine {
  apiVersion: typeof API_VERSION;
  kind: "Machine";
  metadata: ObjectMeta;
  spec: MachineSpec;
  status?: MachineStatus;
}

/** Machine phases (derived from status fields, never decided from). */
export const MachinePhase = {
  Pending: "Pending",
  Provisioning: "Provisioning",
  Provisioned: "Provisioned",
  Running: "Running",
  Deleting: "Deleting",
  Failed: "Failed",
} as const;
export type MachinePhase = (typeof MachinePhase)[keyof typeof MachinePhase];
