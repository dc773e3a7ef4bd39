// Where each manifest object came from ("file.yaml#2"), kept beside the
// object rather than inside it so the object stays exactly as written.
const sources = new WeakMap<object, string>();

export function rememberSource(object: unknown, source: string): void {
  if (typeof object === "object" && object !== null) sources.set(object, source);
}

export function sourceOf(object: unknown): string | undefined {
  return typeof object === "object" && object !== null ? sources.get(object) : undefined;
}
