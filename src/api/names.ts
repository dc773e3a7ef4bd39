// Kubernetes object names: DNS-1123 subdomains (names) and labels (namespaces).

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A message saying what is wrong with `name` as an object name, or undefined when it is valid. */
export function checkDns1123Subdomain(name: string): string | undefined {
  if (name.length > 253) return `"${truncate(name)}" is longer than 253 characters`;
  if (SUBDOMAIN.test(name)) return undefined;
  return `"${name}" is not a valid name: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (DNS-1123 subdomain)`;
}

/** A message saying what is wrong with `name` as a namespace, or undefined when it is valid. */
export function checkDns1123Label(name: string): string | undefined {
  if (name.length > 63) return `"${truncate(name)}" is longer than 63 characters`;
  if (LABEL.test(name)) return undefined;
  return `"${name}" is not a valid namespace: use lowercase letters, digits and '-', starting and ending with a letter or digit (DNS-1123 label)`;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
