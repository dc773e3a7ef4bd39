// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform template syntax in plain strings is what these values are about.
/**
 * Strings that would become Terraform expressions or cdktf tokens if they
 * were not escaped. Shared by the unit tests and the end-to-end test that
 * applies them as tags and reads them back: each must arrive unchanged.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  "${aws_instance.x.id}",
  "%{ if true }x%{ endif }",
  "${TfToken[TOKEN.1]}",
  "#{TfToken[TOKEN.2]}",
  "$${already-escaped}",
  "$$${odd}",
  '${file("/etc/passwd")}',
  "a${b}c%{d}e$f%g",
  "\\${backslash}",
];
