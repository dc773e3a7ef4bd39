/**
 * Escapes a string so Terraform reads it as exactly itself: in Terraform's
 * JSON syntax every string (values and object keys) is a template, so `${`
 * and `%{` must be doubled. A `$` or `%` not followed by `{` is already literal.
 * Shared by synthesis (stacks/) and the runner's partial backend configuration.
 */
export function escapeTerraformTemplate(value: string): string {
  return value.replace(/([$%])\{/g, (_match, sigil: string) => `${sigil}${sigil}{`);
}
