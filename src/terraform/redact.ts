/**
 * Masks secret values in anything the runner hands out: diagnostics, events,
 * plan text and JSON, error messages. Applied at the runner boundary, so
 * callers never see a secret Terraform echoed back.
 */

export const REDACTED = "(redacted)";

/** Environment variables whose values are secrets wherever they appear. */
export const SECRET_ENV_NAMES = [
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "VSPHERE_PASSWORD",
  "TF_HTTP_PASSWORD",
  "KUBE_TOKEN",
] as const;

/** TF_VAR_* variables are secrets when their name says so. */
const SECRET_VAR_NAME = /^TF_VAR_.*(password|secret|token|key)/i;

/** Shorter values would mask ordinary words and numbers everywhere. */
const MIN_SECRET_LENGTH = 4;

export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  constructor(values: Iterable<string> = []) {
    for (const value of values) this.add(value);
  }

  /** A redactor for the secrets in an environment (credentials passed to Terraform). */
  static fromEnv(env: Record<string, string | undefined>, extra: Iterable<string> = []): Redactor {
    const redactor = new Redactor(extra);
    for (const [name, value] of Object.entries(env)) {
      const named = (SECRET_ENV_NAMES as readonly string[]).includes(name) || SECRET_VAR_NAME.test(name);
      if (named && value) redactor.add(value);
    }
    return redactor;
  }

  /** Registers a secret; its JSON-escaped form is masked too. */
  add(value: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    const before = this.secrets.size;
    this.secrets.add(value);
    this.secrets.add(JSON.stringify(value).slice(1, -1));
    if (this.secrets.size !== before) this.pattern = undefined;
  }

  get size(): number {
    return this.secrets.size;
  }

  redactText(text: string): string {
    const pattern = this.compiled();
    return pattern ? text.replace(pattern, REDACTED) : text;
  }

  /** A deep copy with every string (values and keys) redacted. */
  redact<T>(value: T): T {
    if (!this.compiled()) return value;
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === "string") return this.redactText(value);
    if (Array.isArray(value)) return value.map((item) => this.walk(item));
    if (value !== null && typeof value === "object") {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) copy[this.redactText(key)] = this.walk(item);
      return copy;
    }
    return value;
  }

  private compiled(): RegExp | undefined {
    if (this.secrets.size === 0) return undefined;
    if (!this.pattern) {
      // Longest first, so a secret containing another is masked whole.
      const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
      this.pattern = new RegExp(sorted.map(escapeRegExp).join("|"), "g");
    }
    return this.pattern;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
