/**
 * The Terraform outputs every cluster stack declares: the contract the status
 * writer reads (`terraform output -json` gives `{ name: { value } }`). Keys
 * of `machines` are Machine names. Neither is sensitive.
 */
export const MACHINES_OUTPUT = "machines";
export const CLUSTER_OUTPUT = "cluster";

/**
 * AWS with `cloudCredentials.createAccessKey` only: the IAM access key for
 * in-cluster components. The id is an ordinary output (status.outputs); the
 * secret is `sensitive`, so it goes only to Secret `<cluster>-outputs`.
 */
export const CLOUD_ACCESS_KEY_ID_OUTPUT = "cloud_access_key_id";
export const CLOUD_SECRET_ACCESS_KEY_OUTPUT = "cloud_secret_access_key";

/**
 * Bootstrapped clusters only: the API endpoint host kubeadm's
 * controlPlaneEndpoint names (AWS: the load balancer's DNS name or the init
 * machine's private address; vSphere: the user's host, the init machine's
 * static address or its default IP). Not sensitive; `cluster.api_endpoint`
 * is this with ":6443".
 */
export const CONTROL_PLANE_ENDPOINT_OUTPUT = "control_plane_endpoint";

/** The port every api_endpoint names. */
export const API_SERVER_PORT = 6443;

export interface AwsMachineOutput {
  instance_id: string;
  private_ip: string;
  /** "" when the instance has no public address. */
  public_ip: string;
  private_dns: string;
  /** pending, running, stopping, stopped, ... as EC2 reports it. */
  state: string;
  availability_zone: string;
}

export interface AwsClusterOutput {
  vpc_id: string;
  subnet_ids: string[];
  security_group_ids: string[];
  /**
   * "host:6443": bootstrapped, the control-plane endpoint; else the first
   * control-plane Machine (by name), or "" when there is none.
   */
  api_endpoint: string;
}

export interface VsphereMachineOutput {
  /** The VM's BIOS UUID: providerID is vsphere://<uuid>. */
  uuid: string;
  default_ip: string;
  moid: string;
}

export interface VsphereClusterOutput {
  /** "" when neither the Cluster nor any Machine names a datacenter. */
  datacenter_id: string;
  api_endpoint: string;
}

export interface AwsStackOutputs {
  machines: Record<string, AwsMachineOutput>;
  cluster: AwsClusterOutput;
}

export interface VsphereStackOutputs {
  machines: Record<string, VsphereMachineOutput>;
  cluster: VsphereClusterOutput;
}

export type StackOutputs = AwsStackOutputs | VsphereStackOutputs;
