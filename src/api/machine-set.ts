import { type Static, Type } from "@sinclair/typebox";
import { MAX_REPLICAS } from "./limits.js";
import { MachineSpecSchema } from "./machine.js";
import { type API_VERSION, LabelSelectorSchema, type ObjectMeta, TemplateMetaSchema } from "./meta.js";
import { IntOrString, Opt } from "./schema-helpers.js";

export const MachineTemplateSchema = Type.Object({
  metadata: Opt(TemplateMetaSchema),
  spec: Opt(MachineSpecSchema),
});
export type MachineTemplate = Static<typeof MachineTemplateSchema>;

export const DeletePolicy = ["Random", "Newest", "Oldest"] as const;

export const MachineSetSpecSchema = Type.Object({
  replicas: Opt(Type.Integer({ minimum: 0, maximum: MAX_REPLICAS, default: 1 })),
  minReadySeconds: Opt(Type.Integer({ minimum: 0 })),
  deletePolicy: Opt(Type.Union(DeletePolicy.map((p) => Type.Literal(p)))),
  selector: LabelSelectorSchema,
  template: Opt(MachineTemplateSchema),
});
export type MachineSetSpec = Static<typeof MachineSetSpecSchema>;

export const MachineSetStatusSchema = Type.Object({
  replicas: Opt(Type.Integer()),
  fullyLabeledReplicas: Opt(Type.Integer()),
  readyReplicas: Opt(Type.Integer()),
  availableReplicas: Opt(Type.Integer()),
  observedGeneration: Opt(Type.Integer()),
  errorReason: Opt(Type.String()),
  errorMessage: Opt(Type.String()),
  selector: Opt(Type.String({ description: "The selector as a string, for the scale subresource." })),
});
export type MachineSetStatus = Static<typeof MachineSetStatusSchema>;

export interface MachineSet {
  apiVersion: typeof API_VERSION;
  kind: "MachineSet";
  metadata: ObjectMeta;
  spec: MachineSetSpec;
  status?: MachineSetStatus;
}

export const MachineDeploymentSpecSchema = Type.Object({
  replicas: Opt(Type.Integer({ minimum: 0, maximum: MAX_REPLICAS, default: 1 })),
  selector: LabelSelectorSchema,
  template: MachineTemplateSchema,
  strategy: Opt(
    Type.Object({
      type: Opt(Type.Literal("RollingUpdate")),
      rollingUpdate: Opt(
        Type.Object({
          maxUnavailable: Opt(IntOrString("Integer or percentage; default 0.")),
          maxSurge: Opt(IntOrString("Integer or percentage; default 1.")),
        }),
      ),
    }),
  ),
  minReadySeconds: Opt(Type.Integer({ minimum: 0 })),
  revisionHistoryLimit: Opt(Type.Integer({ minimum: 0 })),
  paused: Opt(Type.Boolean()),
  progressDeadlineSeconds: Opt(Type.Integer({ minimum: 0 })),
});
export type MachineDeploymentSpec = Static<typeof MachineDeploymentSpecSchema>;

export const MachineDeploymentStatusSchema = Type.Object({
  observedGeneration: Opt(Type.Integer()),
  selector: Opt(Type.String()),
  replicas: Opt(Type.Integer()),
  updatedReplicas: Opt(Type.Integer()),
  readyReplicas: Opt(Type.Integer()),
  availableReplicas: Opt(Type.Integer()),
  unavailableReplicas: Opt(Type.Integer()),
});
export type MachineDeploymentStatus = Static<typeof MachineDeploymentStatusSchema>;

export interface MachineDeployment {
  apiVersion: typeof API_VERSION;
  kind: "MachineDeployment";
  metadata: ObjectMeta;
  spec: MachineDeploymentSpec;
  status?: MachineDeploymentStatus;
}
