import { stringify } from "yaml";
import { KIND_NAMES, KINDS, type KindInfo } from "./kinds.js";
import { type JsonSchema, toKubeSchema } from "./kube-schema.js";
import { CLUSTER_NAME_LABEL, GROUP, VERSION } from "./meta.js";

// The five CRDs, generated from the same TypeBox schemas the validator uses.
// `npm run gen:crds` writes them to crds/; a unit test fails when the
// committed files differ.

/** Groups ending in .k8s.io need this annotation; "unapproved" says these are not upstream APIs. */
export const API_APPROVED_ANNOTATION = "api-approved.kubernetes.io";
export const API_APPROVED_VALUE = "unapproved, experimental clusterform resources";
export const CATEGORY = "cluster-api";

export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  jsonPath: string;
  description?: string;
  priority?: number;
}

export interface CustomResourceDefinition {
  apiVersion: "apiextensions.k8s.io/v1";
  kind: "CustomResourceDefinition";
  metadata: { name: string; annotations: Record<string, string> };
  spec: {
    group: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames: string[];
      categories: string[];
    };
    scope: "Namespaced";
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: JsonSchema };
      subresources?: {
        status?: Record<string, never>;
        scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath: string };
      };
      additionalPrinterColumns: PrinterColumn[];
    }[];
  };
}

const AGE: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };
const REPLICA_COLUMNS: PrinterColumn[] = [
  { name: "Replicas", type: "integer", jsonPath: ".status.replicas", description: "Machines that exist" },
  {
    name: "Ready",
    type: "integer",
    jsonPath: ".status.readyReplicas",
    description: "Machines that are ready",
  },
  {
    name: "Available",
    type: "integer",
    jsonPath: ".status.availableReplicas",
    description: "Machines ready for at least minReadySeconds",
  },
  AGE,
];

const PRINTER_COLUMNS: Record<KindInfo["kind"], PrinterColumn[]> = {
  Cluster: [
    { name: "Phase", type: "string", jsonPath: ".status.phase" },
    {
      name: "Endpoint",
      type: "string",
      jsonPath: ".status.apiEndpoints[0].host",
      description: "API server address",
    },
    { name: "Plan", type: "string", jsonPath: ".status.plan.state", description: "State of the latest plan" },
    AGE,
  ],
  Machine: [
    {
      name: "Cluster",
      type: "string",
      jsonPath: `.metadata.labels.${CLUSTER_NAME_LABEL.replace(/\./g, "\\.")}`,
      description: "The Cluster this Machine belongs to",
    },
    { name: "ProviderID", type: "string", jsonPath: ".status.providerID" },
    { name: "Phase", type: "string", jsonPath: ".status.phase" },
    { name: "Address", type: "string", jsonPath: ".status.addresses[0].address" },
    AGE,
  ],
  MachineSet: REPLICA_COLUMNS,
  MachineDeployment: REPLICA_COLUMNS,
  MachineClass: [
    {
      name: "Provider kind",
      type: "string",
      jsonPath: ".providerSpec.value.kind",
      description: "Provider spec kind (for classes in the providerSpec.value shape)",
    },
    AGE,
  ],
};

export function crdManifests(): CustomResourceDefinition[] {
  return KIND_NAMES.map((kind) => crdFor(KINDS[kind]));
}

function crdFor(info: KindInfo): CustomResourceDefinition {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: `${info.plural}.${GROUP}`,
      annotations: { [API_APPROVED_ANNOTATION]: API_APPROVED_VALUE },
    },
    spec: {
      group: GROUP,
      names: {
        kind: info.kind,
        listKind: `${info.kind}List`,
        plural: info.plural,
        singular: info.singular,
        shortNames: [info.shortName],
        categories: [CATEGORY],
      },
      scope: "Namespaced",
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: openApiSchema(info) },
          ...subresources(info),
          additionalPrinterColumns: PRINTER_COLUMNS[info.kind],
        },
      ],
    },
  };
}

/** The object's schema: the kind's body plus the fields every object has; metadata is the server's. */
export function openApiSchema(info: KindInfo): JsonSchema {
  const body = toKubeSchema(info.body);
  return {
    type: "object",
    description: `${info.kind} (${GROUP}/${VERSION}), managed by clusterform.`,
    properties: {
      apiVersion: { type: "string", description: "APIVersion of this object." },
      kind: { type: "string", description: "Kind of this object." },
      metadata: { type: "object" },
      ...(body.properties as JsonSchema),
    },
    ...(body.required ? { required: body.required } : {}),
  };
}

function subresources(info: KindInfo): {
  subresources?: CustomResourceDefinition["spec"]["versions"][0]["subresources"];
} {
  if (!info.hasStatus) return {};
  const scale = info.scalable
    ? {
        scale: {
          specReplicasPath: ".spec.replicas",
          statusReplicasPath: ".status.replicas",
          labelSelectorPath: ".status.selector",
        },
      }
    : {};
  return { subresources: { status: {}, ...scale } };
}

/** The files `npm run gen:crds` writes: crds/<plural>.cluster.k8s.io.yaml. */
export function crdFiles(): { fileName: string; text: string }[] {
  return crdManifests().map((crd) => ({
    fileName: `${crd.metadata.name}.yaml`,
    text: `# Generated from src/api by \`npm run gen:crds\`: do not edit.\n${stringify(crd, { lineWidth: 0 })}`,
  }));
}
