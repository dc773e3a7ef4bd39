import { ApiError } from "../runtime/api-client.js";

/** How long a Machine whose create got no answer is assumed to be on its way (then it is replaced). */
export const UNCONFIRMED_CREATE_TTL_MS = 60_000;

/**
 * Machine creations whose answer never came (a timeout, a dropped
 * connection, a 5xx): the API server may still commit them after our next
 * live list, so counting only what the list shows would create their
 * replacements too, and the surplus Machine would get an instance before it
 * is scaled away. This is the MachineSet's share of controller-runtime's
 * "expectations", for the one case live reads cannot settle: a create is
 * counted as on its way until the list shows its name or the TTL passes.
 * In memory only: a restarted controller starts from what the server has.
 */
export class UnconfirmedCreates {
  /** set key -> Machine name -> when we stop waiting for it (ms since epoch). */
  private readonly pending = new Map<string, Map<string, number>>();

  constructor(
    private readonly ttlMs = UNCONFIRMED_CREATE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The create of `name` for set `setKey` failed without saying whether it happened. */
  expect(setKey: string, name: string): void {
    const names = this.pending.get(setKey) ?? new Map<string, number>();
    names.set(name, this.now() + this.ttlMs);
    this.pending.set(setKey, names);
  }

  /**
   * How many of the set's unconfirmed creates may still arrive, given the
   * names the live list shows (those, and expired ones, are forgotten), and
   * how long until the first of them is given up on.
   */
  outstanding(setKey: string, listed: ReadonlySet<string>): { count: number; recheckAfterMs?: number } {
    const names = this.pending.get(setKey);
    if (!names) return { count: 0 };
    const now = this.now();
    for (const [name, expiresAt] of names) {
      if (listed.has(name) || expiresAt <= now) names.delete(name);
    }
    if (names.size === 0) {
      this.pending.delete(setKey);
      return { count: 0 };
    }
    return { count: names.size, recheckAfterMs: Math.min(...names.values()) - now };
  }
}

/**
 * Whether a failed create may still have happened: no answer at all (status
 * 0: timeout, reset) or a server error. A 4xx is the server's definite no.
 */
export function createOutcomeUnknown(error: unknown): boolean {
  return error instanceof ApiError && (error.statusCode === 0 || error.statusCode >= 500);
}
