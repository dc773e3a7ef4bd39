import { randomBytes } from "node:crypto";
import { escapeTerraformTemplate } from "../src/util/terraform-template.js";

export { escapeTerraformTemplate };

/**
 * User strings never enter cdktf: the construct config gets an opaque marker
 * (letters and digits only, so cdktf's token system never matches it), and
 * after `stack.toTerraform()` every marker, in values and in map keys, is
 * replaced by the Terraform-escaped literal. The nonce is random per table so
 * no user string can forge a marker; markers never survive into the output.
 */
export class LiteralTable {
  private readonly nonce = randomBytes(6).toString("hex");
  private readonly values: string[] = [];
  private readonly pattern = new RegExp(`cflit${this.nonce}n(\\d+)z`, "g");

  /** An opaque stand-in for `value`, safe to put into any construct config. */
  literal(value: string): string {
    this.values.push(value);
    return `cflit${this.nonce}n${this.values.length - 1}z`;
  }

  /** Replaces every marker in keys and string values of a JSON tree. */
  substitute(tree: unknown): unknown {
    // Every marker must have survived cdktf whole, or some literal would be lost.
    const raw = JSON.stringify(tree);
    const whole = raw.match(this.pattern)?.length ?? 0;
    if (raw.split(`cflit${this.nonce}`).length - 1 !== whole) {
      throw new Error("internal: a literal marker was mangled during synthesis; report this bug");
    }
    return this.walk(tree);
  }

  private walk(node: unknown): unknown {
    if (typeof node === "string") return this.replaceIn(node);
    if (Array.isArray(node)) return node.map((item) => this.walk(item));
    if (node !== null && typeof node === "object") {
      // A null prototype keeps a user key such as "__proto__" an ordinary key.
      const out: Record<string, unknown> = Object.create(null);
      for (const [key, value] of Object.entries(node)) {
        const newKey = this.replaceIn(key);
        if (Object.hasOwn(out, newKey))
          throw new Error(`two map keys synthesize to the same key "${newKey}"`);
        out[newKey] = this.walk(value);
      }
      return out;
    }
    return node;
  }

  // A marker may sit inside a larger string (e.g. "name:6443"); the whole
  // string is a template, and escaping only the literal part keeps our own
  // expressions around it intact.
  private replaceIn(text: string): string {
    return text.replace(this.pattern, (_marker, index: string) => {
      const value = this.values[Number(index)];
      if (value === undefined) throw new Error(`internal: unknown literal marker ${index}`);
      return escapeTerraformTemplate(value);
    });
  }
}
