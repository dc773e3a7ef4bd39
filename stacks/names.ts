/** A Kubernetes object name (DNS-1123 subdomain): lowercase alphanumerics, "-" and ".". */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isKubernetesName(name: string): boolean {
  return name.length <= 253 && DNS_SUBDOMAIN.test(name);
}

/**
 * The Terraform name of a machine's resources: "machine_" + the Machine name
 * with "." replaced by "_". Kubernetes names contain no "_", so distinct
 * Machines never share a name, and the prefix makes names that start with a
 * digit valid Terraform identifiers. Callers check isKubernetesName first.
 */
export function machineLogicalId(machineName: string): string {
  return `machine_${machineName.replaceAll(".", "_")}`;
}

/** A readable, Terraform-safe fragment of any string (not injective: pair it with a hash). */
export function slug(text: string, maxLength = 24): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return cleaned.slice(0, maxLength) || "x";
}
