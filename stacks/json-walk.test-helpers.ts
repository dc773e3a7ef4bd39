// Helpers for the stack tests: walk a synthesized tree and read Terraform
// templates the way Terraform does.

/** Every string in the tree, map keys included. */
export function allStrings(node: unknown, out: string[] = []): string[] {
  if (typeof node === "string") out.push(node);
  else if (Array.isArray(node)) for (const item of node) allStrings(item, out);
  else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      out.push(key);
      allStrings(value, out);
    }
  }
  return out;
}

/** Every key in the tree, at any depth. */
export function allKeys(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) allKeys(item, out);
  else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      out.push(key);
      allKeys(value, out);
    }
  }
  return out;
}

/**
 * The interpolations (`${...}`) and directives (`%{...}`) Terraform would
 * evaluate in a string, as the text after the opening sequence. `$${` and
 * `%%{` are escapes, not sequences.
 */
export function templateSequences(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const sigil = text[i];
    if ((sigil === "$" || sigil === "%") && text[i + 1] === sigil && text[i + 2] === "{") {
      i += 2;
    } else if ((sigil === "$" || sigil === "%") && text[i + 1] === "{") {
      found.push(`${sigil}{${text.slice(i + 2)}`);
    }
  }
  return found;
}

/** What Terraform makes of an escaped literal (no sequences left to evaluate). */
export function unescapeTemplate(text: string): string {
  return text.replace(/([$%])\1\{/g, "$1{");
}
