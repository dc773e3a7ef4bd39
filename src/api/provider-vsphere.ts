import { type Static, Type } from "@sinclair/typebox";
import { Opt, StringList } from "./schema-helpers.js";

/** apiVersions accepted for vSphere provider specs (Cluster API provider vSphere v1alpha1). */
export const VSPHERE_API_VERSIONS = [
  "vsphereproviderconfig/v1alpha1",
  "vsphere.cluster.k8s.io/v1alpha1",
] as const;

export const VsphereClusterProviderSpecSchema = Type.Object({
  apiVersion: Type.String(),
  kind: Type.Union([
    Type.Literal("VsphereClusterProviderSpec"),
    Type.Literal("VsphereClusterProviderConfig"),
  ]),
  server: Type.String({ minLength: 1 }),
  datacenter: Opt(Type.String()),
  insecure: Opt(Type.Boolean({ description: "Accept the server's certificate unverified." })),
  credentialsSecret: Opt(
    Type.Object({
      name: Type.String({ minLength: 1, description: "Secret with keys username and password." }),
      namespace: Opt(Type.String()),
    }),
  ),
  controlPlaneEndpoint: Opt(
    Type.Object({
      host: Type.String({
        minLength: 1,
        maxLength: 253,
        pattern: "^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$",
        description:
          "The API server's address (a virtual IP or DNS name, port 6443) once Machines are bootstrapped; unset: the init machine's address.",
      }),
    }),
  ),
});
export type VsphereClusterProviderSpec = Static<typeof VsphereClusterProviderSpecSchema>;

export const NetworkDeviceSchema = Type.Object({
  networkName: Type.String({ minLength: 1 }),
  dhcp4: Opt(Type.Boolean()),
  dhcp6: Opt(Type.Boolean()),
  gateway4: Opt(Type.String()),
  ipAddrs: Opt(StringList("Static addresses in CIDR form, e.g. 192.168.1.10/24")),
  nameservers: Opt(StringList()),
});

export const VsphereMachineProviderSpecSchema = Type.Object({
  apiVersion: Type.String(),
  kind: Type.Union([
    Type.Literal("VsphereMachineProviderSpec"),
    Type.Literal("VsphereMachineProviderConfig"),
  ]),
  template: Type.String({ minLength: 1 }),
  datacenter: Opt(Type.String()),
  datastore: Opt(Type.String()),
  resourcePool: Opt(Type.String()),
  folder: Opt(Type.String()),
  network: Type.Object({ devices: Type.Array(NetworkDeviceSchema, { minItems: 1 }) }),
  numCPUs: Opt(Type.Integer({ minimum: 1 })),
  numCoresPerSocket: Opt(Type.Integer({ minimum: 1 })),
  memoryMiB: Opt(Type.Integer({ minimum: 4 })),
  diskGiB: Opt(Type.Integer({ minimum: 1 })),
});
export type VsphereMachineProviderSpec = Static<typeof VsphereMachineProviderSpecSchema>;
