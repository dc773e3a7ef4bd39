import { type Static, Type } from "@sinclair/typebox";
import { Opt, StringList, StringMap } from "./schema-helpers.js";

export const GROUP = "cluster.k8s.io";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;

/** Label that ties a Machine (or MachineSet/Deployment) to its Cluster. */
export const CLUSTER_NAME_LABEL = "cluster.k8s.io/cluster-name";

/** Metadata as the project reads it from manifests and API objects. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** The metadata allowed inside a MachineSet/MachineDeployment template. */
export const TemplateMetaSchema = Type.Object({
  name: Opt(Type.String()),
  generateName: Opt(Type.String()),
  namespace: Opt(Type.String()),
  labels: Opt(StringMap()),
  annotations: Opt(StringMap()),
});
export type TemplateMeta = Static<typeof TemplateMetaSchema>;

export const LabelSelectorRequirementSchema = Type.Object({
  key: Type.String(),
  operator: Type.String({ description: "In, NotIn, Exists or DoesNotExist" }),
  values: Opt(StringList()),
});

export const LabelSelectorSchema = Type.Object({
  matchLabels: Opt(StringMap()),
  matchExpressions: Opt(Type.Array(LabelSelectorRequirementSchema)),
});
export type LabelSelector = Static<typeof LabelSelectorSchema>;

export const ConditionSchema = Type.Object({
  type: Type.String(),
  status: Type.String({ description: "True, False or Unknown" }),
  reason: Opt(Type.String()),
  message: Opt(Type.String()),
  lastTransitionTime: Opt(Type.String({ format: "date-time" })),
  observedGeneration: Opt(Type.Integer()),
});
export type Condition = Static<typeof ConditionSchema>;

export const ObjectReferenceSchema = Type.Object({
  apiVersion: Opt(Type.String()),
  kind: Opt(Type.String()),
  name: Opt(Type.String()),
  namespace: Opt(Type.String()),
  uid: Opt(Type.String()),
});
