/**
 * cdktf registers every token it makes in a process-global map
 * (`globalThis.__cdktfTokenMap`, cdktf 0.21's TokenMap) and never frees it:
 * ~180 KB per synthesized App (bench/reconcile-memory.ts), so a long-lived
 * controller grew with every change of any cluster. Synthesis is synchronous
 * and its JSON holds no tokens (`stack.toTerraform()` resolves every one, and
 * no token object outlives the App), so the entries one synthesis added are
 * dropped when it ends. The map holds only these two maps and a counter; the
 * counter is left alone, so a key is never handed out twice. Should cdktf
 * change that shape, nothing is dropped and token-map.test.ts fails to say so.
 */

interface TokenMapShape {
  stringTokenMap: Map<unknown, unknown>;
  numberTokenMap: Map<unknown, unknown>;
}

export function tokenMap(): TokenMapShape | undefined {
  const map = (globalThis as { __cdktfTokenMap?: Partial<TokenMapShape> }).__cdktfTokenMap;
  return map?.stringTokenMap instanceof Map && map.numberTokenMap instanceof Map
    ? (map as TokenMapShape)
    : undefined;
}

/** Runs `synthesize` (synchronous) and drops the tokens it registered. */
export function releasingTokens<T>(synthesize: () => T): T {
  const before = tokenMap();
  const strings = new Set(before?.stringTokenMap.keys());
  const numbers = new Set(before?.numberTokenMap.keys());
  try {
    return synthesize();
  } finally {
    const after = tokenMap();
    if (after) {
      dropAllBut(after.stringTokenMap, strings);
      dropAllBut(after.numberTokenMap, numbers);
    }
  }
}

function dropAllBut(map: Map<unknown, unknown>, keep: ReadonlySet<unknown>): void {
  for (const key of [...map.keys()]) if (!keep.has(key)) map.delete(key);
}
