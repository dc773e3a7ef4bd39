import { canonicalJson } from "../src/util/canonical-json.js";

/**
 * The bytes of cdk.tf.json: canonical JSON (keys sorted at every level) with
 * two-space indentation and a final newline, so the same tree always gives
 * the same bytes. Arrays keep their order (block order and list order are
 * meaningful to Terraform).
 */
export function configJson(tree: unknown): string {
  return `${canonicalJson(tree, 2)}\n`;
}
