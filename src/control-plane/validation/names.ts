/**
 * apimachinery's name rules (k8s.io/apimachinery/pkg/util/validation):
 * qualified names (label, annotation and finalizer keys), label values, DNS
 * subdomains and ConfigMap/Secret keys. Each returns the apiserver's messages,
 * empty when valid. The expressions have no nested quantifiers, so they run in
 * linear time on any input; lengths are checked before them.
 */

const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const dnsSubdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const configKeyPattern = /^[-._a-zA-Z0-9]+$/;

export const qualifiedNameMaxLength = 63;
export const labelValueMaxLength = 63;
export const dnsSubdomainMaxLength = 253;
export const configKeyMaxLength = 253;

const qualifiedNameMessage =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

export function dnsSubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > dnsSubdomainMaxLength)
    errors.push(`must be no more than ${dnsSubdomainMaxLength} characters`);
  else if (!dnsSubdomainPattern.test(value)) {
    errors.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return errors;
}

/** `[prefix/]name`: prefix a DNS subdomain, name at most 63 characters. */
export function qualifiedNameErrors(value: string): string[] {
  const parts = value.split("/");
  let name = value;
  const errors: string[] = [];
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    name = rest;
    if (prefix.length === 0) errors.push("prefix part must be non-empty");
    else errors.push(...dnsSubdomainErrors(prefix).map((message) => `prefix part ${message}`));
  } else if (parts.length > 2) {
    return [
      `a qualified name ${qualifiedNameMessage} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errors.push("name part must be non-empty");
  else if (name.length > qualifiedNameMaxLength)
    errors.push(`name part must be no more than ${qualifiedNameMaxLength} characters`);
  else if (!qualifiedNamePart.test(name)) errors.push(`name part ${qualifiedNameMessage}`);
  return errors;
}

export function labelValueErrors(value: string): string[] {
  if (value.length > labelValueMaxLength) return [`must be no more than ${labelValueMaxLength} characters`];
  if (!labelValuePattern.test(value)) {
    return [
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ];
  }
  return [];
}

/** ConfigMap and Secret keys (they become file names when mounted). */
export function configKeyErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > configKeyMaxLength) errors.push(`must be no more than ${configKeyMaxLength} characters`);
  else if (!configKeyPattern.test(value)) {
    errors.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  }
  if (value === ".") errors.push("must not be '.'");
  else if (value === "..") errors.push("must not be '..'");
  else if (value.startsWith("..")) errors.push("must not start with '..'");
  return errors;
}

/** A value for a message: quoted, and cut short so a huge input does not fill the answer. */
export function shown(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  const cut = text.length > 100 ? `${text.slice(0, 100)}...` : text;
  return JSON.stringify(cut);
}
