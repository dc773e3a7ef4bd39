import { clusterLabel } from "../converge/options.js";
import { adaptiveRunLimit } from "../converge/run-limit.js";
import type { ClusterModel } from "../model/types.js";
import { errorMessage } from "./errors.js";
import type { Reporter } from "./reporter.js";

export type ClusterOutcome<T> =
  | { model: ClusterModel; ok: true; value: T }
  | { model: ClusterModel; ok: false; error: unknown };

/**
 * Runs one step for every cluster, at most `limit` at once and fewer when
 * memory or idle CPU run short (run-limit.ts). A failure of one
 * cluster is reported and kept; it never stops the others. Items are models,
 * or anything `modelOf` maps to one.
 */
export async function eachCluster<I, T>(
  items: readonly I[],
  limit: number,
  reporter: Reporter,
  step: (item: I) => Promise<T>,
  modelOf: (item: I) => ClusterModel = (item) => item as ClusterModel,
): Promise<ClusterOutcome<T>[]> {
  const run = adaptiveRunLimit({ cap: limit });
  return Promise.all(
    items.map((item) =>
      run(async (): Promise<ClusterOutcome<T>> => {
        const model = modelOf(item);
        try {
          return { model, ok: true, value: await step(item) };
        } catch (error) {
          reporter.step(model, `failed: ${errorMessage(error)}`);
          return { model, ok: false, error };
        }
      }),
    ),
  );
}

export function failedClusters(outcomes: readonly ClusterOutcome<unknown>[]): string[] {
  return outcomes.filter((o) => !o.ok).map((o) => clusterLabel(o.model));
}
