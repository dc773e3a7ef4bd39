/**
 * The literal the rendered cloud-config carries wherever kubeadm needs the
 * control-plane endpoint host (controlPlaneEndpoint, certSANs, join
 * discovery). The stack swaps it for a Terraform reference to the load
 * balancer or the init machine with `replace(...)`, so the bootstrap data can
 * be rendered before the endpoint exists and never holds a user string
 * Terraform would interpolate. Shared with stacks/ (contract): keep identical.
 */
export const CONTROL_PLANE_ENDPOINT_PLACEHOLDER = "@@clusterform-control-plane-endpoint@@";

/** kube-apiserver's secure port, behind the load balancer and on each control-plane machine. */
export const API_SERVER_PORT = 6443;
