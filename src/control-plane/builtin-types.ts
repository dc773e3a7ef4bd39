/**
 * The built-in kinds the server serves besides custom resources: Namespace,
 * Secret, ConfigMap, Event, Lease, Node and CustomResourceDefinition itself.
 * Node is here so a second embedded control plane can play a workload
 * cluster's API server (docs/workload.md): kubelets register Nodes, and the
 * controllers read spec.providerID and the Ready condition back.
 */
import { crdSchema } from "./crd-schema.js";
import type { PrinterColumn, ResourceType } from "./resource-type.js";
import type { JsonSchema } from "./schema/types.js";

const stringMap: JsonSchema = { type: "object", additionalProperties: { type: "string" } };
const anything: JsonSchema = { type: "object", "x-kubernetes-preserve-unknown-fields": true };

function builtIn(
  fields: Pick<ResourceType, "group" | "version" | "plural" | "singular" | "kind" | "namespaced"> &
    Partial<ResourceType>,
  schema: JsonSchema,
  columns: PrinterColumn[] = [],
): ResourceType {
  return {
    servedVersions: [fields.version],
    listKind: `${fields.kind}List`,
    shortNames: [],
    categories: [],
    schemas: new Map([[fields.version, schema]]),
    printerColumns: new Map([[fields.version, columns]]),
    statusSubresource: false,
    builtIn: true,
    ...fields,
  };
}

/** The parts of core/v1 Node clusterform reads or writes; the rest is kept as sent. */
const nodeSchema: JsonSchema = {
  type: "object",
  properties: {
    spec: {
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
      properties: {
        providerID: { type: "string" },
        unschedulable: { type: "boolean" },
        podCIDR: { type: "string" },
        taints: { type: "array", items: anything },
      },
    },
    status: {
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
      properties: {
        conditions: {
          type: "array",
          items: {
            type: "object",
            "x-kubernetes-preserve-unknown-fields": true,
            properties: {
              type: { type: "string" },
              status: { type: "string" },
              reason: { type: "string" },
              message: { type: "string" },
              lastHeartbeatTime: { type: "string" },
              lastTransitionTime: { type: "string" },
            },
          },
        },
        addresses: { type: "array", items: anything },
        nodeInfo: anything,
      },
    },
  },
};

const age: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

export function builtInTypes(): ResourceType[] {
  return [
    builtIn(
      {
        group: "",
        version: "v1",
        plural: "namespaces",
        singular: "namespace",
        kind: "Namespace",
        namespaced: false,
        shortNames: ["ns"],
        statusSubresource: true,
      },
      {
        type: "object",
        properties: {
          spec: { type: "object", properties: { finalizers: { type: "array", items: { type: "string" } } } },
          status: {
            type: "object",
            properties: { phase: { type: "string" }, conditions: { type: "array", items: anything } },
          },
        },
      },
      [{ name: "Status", type: "string", jsonPath: ".status.phase" }, age],
    ),
    builtIn(
      { group: "", version: "v1", plural: "secrets", singular: "secret", kind: "Secret", namespaced: true },
      {
        type: "object",
        properties: {
          data: stringMap,
          stringData: stringMap,
          type: { type: "string" },
          immutable: { type: "boolean" },
        },
      },
      [
        { name: "Type", type: "string", jsonPath: ".type" },
        { name: "Data", type: "string", jsonPath: ".data.@count" },
        age,
      ],
    ),
    builtIn(
      {
        group: "",
        version: "v1",
        plural: "configmaps",
        singular: "configmap",
        kind: "ConfigMap",
        namespaced: true,
        shortNames: ["cm"],
      },
      {
        type: "object",
        properties: { data: stringMap, binaryData: stringMap, immutable: { type: "boolean" } },
      },
      [{ name: "Data", type: "string", jsonPath: ".data.@count" }, age],
    ),
    builtIn(
      {
        group: "",
        version: "v1",
        plural: "events",
        singular: "event",
        kind: "Event",
        namespaced: true,
        shortNames: ["ev"],
      },
      { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      [
        { name: "Last Seen", type: "date", jsonPath: ".lastTimestamp" },
        { name: "Type", type: "string", jsonPath: ".type" },
        { name: "Reason", type: "string", jsonPath: ".reason" },
        { name: "Object", type: "string", jsonPath: ".involvedObject.name" },
        { name: "Message", type: "string", jsonPath: ".message" },
      ],
    ),
    builtIn(
      {
        group: "",
        version: "v1",
        plural: "nodes",
        singular: "node",
        kind: "Node",
        namespaced: false,
        shortNames: ["no"],
        statusSubresource: true,
      },
      nodeSchema,
      [
        { name: "Status", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
        { name: "Provider ID", type: "string", jsonPath: ".spec.providerID" },
        { name: "Unschedulable", type: "boolean", jsonPath: ".spec.unschedulable" },
        age,
      ],
    ),
    builtIn(
      {
        group: "coordination.k8s.io",
        version: "v1",
        plural: "leases",
        singular: "lease",
        kind: "Lease",
        namespaced: true,
      },
      {
        type: "object",
        properties: {
          spec: {
            type: "object",
            properties: {
              holderIdentity: { type: "string" },
              leaseDurationSeconds: { type: "integer" },
              acquireTime: { type: "string" },
              renewTime: { type: "string" },
              leaseTransitions: { type: "integer" },
              preferredHolder: { type: "string" },
              strategy: { type: "string" },
            },
          },
        },
      },
      [{ name: "Holder", type: "string", jsonPath: ".spec.holderIdentity" }, age],
    ),
    builtIn(
      {
        group: "apiextensions.k8s.io",
        version: "v1",
        plural: "customresourcedefinitions",
        singular: "customresourcedefinition",
        kind: "CustomResourceDefinition",
        namespaced: false,
        shortNames: ["crd", "crds"],
        categories: ["api-extensions"],
        statusSubresource: true,
      },
      crdSchema,
      [{ name: "Created At", type: "string", format: "date-time", jsonPath: ".metadata.creationTimestamp" }],
    ),
  ];
}
