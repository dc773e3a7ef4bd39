import pLimit from "p-limit";

/**
 * API writes in flight at once for one pass's per-object writes (finalizers,
 * Machine statuses, Events). Each write is a round trip the server answers on
 * its own; issued one after another, a 30-Machine cluster's writes after an
 * apply kept its last Machine from Ready for a second. Small enough to stay
 * well inside client-side rate limits and the API server's in-flight limit.
 */
export const API_WRITES_AT_ONCE = 8;

/** `write` for every item, at most API_WRITES_AT_ONCE at once; rejects with the first failure once all settled. */
export async function writeEach<T>(items: readonly T[], write: (item: T) => Promise<void>): Promise<void> {
  if (items.length <= 1) {
    for (const item of items) await write(item);
    return;
  }
  const limit = pLimit(API_WRITES_AT_ONCE);
  const results = await Promise.allSettled(items.map((item) => limit(() => write(item))));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
