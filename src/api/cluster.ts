import { type Static, Type } from "@sinclair/typebox";
import { type API_VERSION, ConditionSchema, type ObjectMeta } from "./meta.js";
import { ProviderSpecSchema } from "./provider-spec.js";
import { OpaqueObject, Opt, StringList, StringMap } from "./schema-helpers.js";

const NetworkRangesSchema = Type.Object({ cidrBlocks: StringList("CIDR blocks, e.g. 10.96.0.0/12") });

export const ClusterSpecSchema = Type.Object({
  clusterNetwork: Opt(
    Type.Object({
      services: Opt(NetworkRangesSchema),
      pods: Opt(NetworkRangesSchema),
      serviceDomain: Opt(Type.String()),
    }),
  ),
  providerSpec: Opt(ProviderSpecSchema),
});
export type ClusterSpec = Static<typeof ClusterSpecSchema>;

export const PlanSummarySchema = Type.Object({
  id: Type.String(),
  add: Type.Integer(),
  change: Type.Integer(),
  destroy: Type.Integer(),
  replace: Type.Integer(),
  generatedAt: Opt(Type.String({ format: "date-time" })),
  state: Type.String({ description: "Pending, Approved, Applied, Superseded or Failed" }),
  appliedBy: Opt(
    Type.String({
      description:
        "external: the shared state shows the plan applied outside clusterform (a pipeline applying the export); absent when clusterform applied it",
    }),
  ),
  heldBecause: Opt(
    Type.String({
      description:
        "Why the plan is held whatever the apply policy: it destroys an adopted instance (the attribute forcing it is named); only approving its id applies it",
    }),
  ),
});
export type PlanSummaryStatus = Static<typeof PlanSummarySchema>;

export const ClusterStatusSchema = Type.Object({
  apiEndpoints: Opt(Type.Array(Type.Object({ host: Type.String(), port: Type.Integer() }))),
  providerStatus: Opt(OpaqueObject("Provider network ids (VPC, subnets, security groups).")),
  phase: Opt(Type.String()),
  errorReason: Opt(Type.String()),
  errorMessage: Opt(Type.String()),
  conditions: Opt(Type.Array(ConditionSchema)),
  plan: Opt(PlanSummarySchema),
  lastAppliedPlan: Opt(Type.String()),
  lastDriftCheck: Opt(Type.String({ format: "date-time" })),
  outputs: Opt(StringMap("Non-sensitive Terraform outputs of the cluster stack.")),
  observedGeneration: Opt(Type.Integer()),
});
export type ClusterStatus = Static<typeof ClusterStatusSchema>;

export interface Cluster {
  apiVersion: typeof API_VERSION;
  kind: "Cluster";
  metadata: ObjectMeta;
  spec: ClusterSpec;
  status?: ClusterStatus;
}
