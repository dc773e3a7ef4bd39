import { type TObject, Type } from "@sinclair/typebox";
import { ClusterSpecSchema, ClusterStatusSchema } from "./cluster.js";
import { MachineSpecSchema, MachineStatusSchema } from "./machine.js";
import {
  MachineDeploymentSpecSchema,
  MachineDeploymentStatusSchema,
  MachineSetSpecSchema,
  MachineSetStatusSchema,
} from "./machine-set.js";
import { OpaqueObject, Opt } from "./schema-helpers.js";

export const KIND_NAMES = ["Cluster", "Machine", "MachineSet", "MachineDeployment", "MachineClass"] as const;
export type KindName = (typeof KIND_NAMES)[number];

export interface KindInfo {
  kind: KindName;
  plural: string;
  singular: string;
  shortName: string;
  /** The object's fields besides apiVersion, kind and metadata. */
  body: TObject;
  /** MachineClass has no status. */
  hasStatus: boolean;
  /** MachineSet and MachineDeployment scale like ReplicaSet and Deployment. */
  scalable: boolean;
}

const MachineClassBodySchema = Type.Object({
  providerSpec: OpaqueObject(
    "The provider spec, as providerSpec.value (like a Machine) or written directly (apiVersion, kind, ...).",
  ),
});

export const KINDS: Record<KindName, KindInfo> = {
  Cluster: {
    kind: "Cluster",
    plural: "clusters",
    singular: "cluster",
    shortName: "cl",
    body: Type.Object({ spec: ClusterSpecSchema, status: Opt(ClusterStatusSchema) }),
    hasStatus: true,
    scalable: false,
  },
  Machine: {
    kind: "Machine",
    plural: "machines",
    singular: "machine",
    shortName: "ma",
    body: Type.Object({ spec: MachineSpecSchema, status: Opt(MachineStatusSchema) }),
    hasStatus: true,
    scalable: false,
  },
  MachineSet: {
    kind: "MachineSet",
    plural: "machinesets",
    singular: "machineset",
    shortName: "ms",
    body: Type.Object({ spec: MachineSetSpecSchema, status: Opt(MachineSetStatusSchema) }),
    hasStatus: true,
    scalable: true,
  },
  MachineDeployment: {
    kind: "MachineDeployment",
    plural: "machinedeployments",
    singular: "machinedeployment",
    shortName: "md",
    body: Type.Object({ spec: MachineDeploymentSpecSchema, status: Opt(MachineDeploymentStatusSchema) }),
    hasStatus: true,
    scalable: true,
  },
  MachineClass: {
    kind: "MachineClass",
    plural: "machineclasses",
    singular: "machineclass",
    shortName: "mc",
    body: MachineClassBodySchema,
    hasStatus: false,
    scalable: false,
  },
};

export function isKindName(value: unknown): value is KindName {
  return typeof value === "string" && (KIND_NAMES as readonly string[]).includes(value);
}
