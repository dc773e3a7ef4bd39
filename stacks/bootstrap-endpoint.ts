/**
 * The literal the rendered bootstrap data carries wherever kubeadm needs the
 * control-plane endpoint host (controlPlaneEndpoint, certSANs, join discovery).
 * The stack replaces it with a Terraform reference to the real endpoint, which
 * exists only once Terraform has created it. Same text as
 * src/bootstrap/endpoint.ts (the bootstrap library's copy): keep them equal.
 */
export const CONTROL_PLANE_ENDPOINT_PLACEHOLDER = "@@clusterform-control-plane-endpoint@@";
