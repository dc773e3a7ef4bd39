// Bounds on how many Machines one object may ask for. One Cluster is one
// Terraform state: every Machine is a few resources that each plan refreshes,
// so a state far beyond a thousand Machines plans for many minutes and hits
// cloud API rate limits. The bounds also keep a typo (replicas: 100000000)
// from allocating Machines until the process runs out of memory. See
// docs/api.md ("Bounds").

/** The most replicas one MachineSet or MachineDeployment may ask for (CRD `maximum` too). */
export const MAX_REPLICAS = 1000;

/** The most Machines one Cluster may have, written out and expanded together. */
export const MAX_MACHINES_PER_CLUSTER = 1000;

/** Kubernetes' own limits on names: a DNS-1123 label and a subdomain. */
export const MAX_LABEL_LENGTH = 63;
export const MAX_SUBDOMAIN_LENGTH = 253;
