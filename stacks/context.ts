import { InvalidConfigurationError } from "../src/errors.js";
import type { LiteralTable } from "./literals.js";

/** What every construct builder needs: the literal table and a place to report problems. */
export interface SynthContext {
  /** Wraps a user string so it reaches Terraform as exactly itself. */
  literal(value: string): string;
  problems: ProblemList;
  /** Things that synthesize but that a person should know (the controller surfaces them). */
  warnings: string[];
}

export function createContext(literals: LiteralTable): SynthContext {
  return { literal: (value) => literals.literal(value), problems: new ProblemList(), warnings: [] };
}

/** Problems found while building a stack; all are reported together. */
export class ProblemList {
  private readonly messages: string[] = [];

  /** `object` names the kind and namespace/name, e.g. "Machine default/w1". */
  add(object: string, path: string, message: string): void {
    this.messages.push(`${object}: ${path}: ${message}`);
  }

  throwIfAny(cluster: string): void {
    if (this.messages.length === 0) return;
    throw new InvalidConfigurationError(
      `cannot synthesize the stack of ${cluster}: ${this.messages.join("; ")}`,
      this.messages,
    );
  }
}

/** Maps every key and value through `literal`. */
export function literalMap(context: SynthContext, map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) out[context.literal(key)] = context.literal(value);
  return out;
}
