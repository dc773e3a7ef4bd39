import type { Cluster } from "../api/cluster.js";
import type { Machine } from "../api/machine.js";
import type { AWSClusterProviderSpec, AWSMachineProviderSpec } from "../api/provider-aws.js";
import type { VsphereClusterProviderSpec, VsphereMachineProviderSpec } from "../api/provider-vsphere.js";

/**
 * The validated, resolved desired state of one Cluster: what a stack is
 * synthesized from. Built the same way from files (MachineSets expanded
 * locally) and from API objects (Machines created by the controllers), so the
 * same set of Machines always gives the same model.
 */
export type ClusterModel = AwsClusterModel | VsphereClusterModel;

interface ClusterModelBase {
  namespace: string;
  name: string;
  /** The Cluster object as read (metadata, spec, status). */
  cluster: Cluster;
  /** Service and pod CIDRs, service domain (validated). */
  network: { serviceCidrs: string[]; podCidrs: string[]; serviceDomain: string };
  /** Where the stack's state lives (annotation clusterform.io/backend); unset means local. */
  backend?: BackendSettings;
  /**
   * Machines that left the cluster with `clusterform.io/on-delete: orphan`:
   * Terraform forgets their instances instead of destroying them. Set by the
   * driver (the CLI from its record in the working directory, the controller
   * from a deleted Machine), never read from manifests.
   */
  orphanedMachines?: string[];
}

/**
 * A Terraform backend, validated; credentials are never part of it: they come
 * from the environment, or (s3) from the Secret `credentialsSecret` names,
 * which the controller passes to `terraform init` outside the configuration.
 */
export type BackendSettings =
  | { type: "local" }
  | {
      type: "s3";
      bucket: string;
      /** Object key: `<keyPrefix>/<namespace>/<cluster>/terraform.tfstate`. */
      key: string;
      region: string;
      /** S3-compatible store (or an emulator): path-style requests, no STS/IAM checks. */
      endpoint?: string;
      /** Secret (Cluster's namespace) with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN] for the bucket. */
      credentialsSecret?: string;
    }
  | {
      type: "kubernetes";
      /** Secret `tfstate-default-<suffix>` in `namespace` (Terraform's naming). */
      secretSuffix: string;
      namespace: string;
    };

export interface AwsClusterModel extends ClusterModelBase {
  provider: "aws";
  spec: AWSClusterProviderSpec;
  /** Sorted by name: synthesis order never depends on input order. */
  machines: MachineModel<AWSMachineProviderSpec>[];
}

export interface VsphereClusterModel extends ClusterModelBase {
  provider: "vsphere";
  spec: VsphereClusterProviderSpec;
  machines: MachineModel<VsphereMachineProviderSpec>[];
}

export interface MachineModel<P = AWSMachineProviderSpec | VsphereMachineProviderSpec> {
  namespace: string;
  name: string;
  role: "control-plane" | "node";
  /** The Machine object as read (or expanded from a MachineSet template). */
  machine: Machine;
  /** The provider spec after MachineClass resolution and validation. */
  providerSpec: P;
  /** Name of the MachineClass the spec came from, if any. */
  machineClass?: string;
  /** An existing instance to import instead of creating one (annotation clusterform.io/adopt-instance-id). */
  adoptId?: string;
  /** `orphan`: forget the instance, never destroy it, when the Machine leaves (annotation clusterform.io/on-delete). */
  onDelete?: "orphan";
}
