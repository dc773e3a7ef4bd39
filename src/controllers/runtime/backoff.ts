/** Capped exponential backoff with jitter, as a pure function of the failure count. */
export interface BackoffOptions {
  /** Delay after the first failure. */
  baseMs: number;
  /** No delay is ever longer than this. */
  maxMs: number;
  /** Fraction of the delay that is randomised (0 = none, 0.2 = +-10%). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 200, maxMs: 60_000, jitter: 0.2 };

/**
 * The delay before retry number `failures` (1 = first failure): base * 2^(failures-1),
 * spread by jitter so a burst of failing keys does not retry in lockstep, then capped.
 */
export function backoffDelay(
  failures: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random = Math.random,
): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  const raw = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  const spread = raw * options.jitter * (random() - 0.5);
  return Math.max(0, Math.min(options.maxMs, Math.round(raw + spread)));
}
