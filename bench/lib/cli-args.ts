import { loadavg } from "node:os";
import { findProviderMirror } from "../../src/terraform/mirror.js";

// What every Terraform benchmark reads from its command line and the machine.

/** A `--name N` option that must be a positive integer. */
export function positiveInt(values: Record<string, unknown>, name: string): number {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a positive integer, got ${values[name]}`);
  return n;
}

/** The provider mirror the e2e tests use; the benchmarks need one. */
export function requireProviderMirror(): string {
  const mirror = findProviderMirror(undefined, process.env);
  if (!mirror)
    throw new Error(
      "no Terraform provider mirror with hashicorp/aws found (set CLUSTERFORM_PROVIDER_MIRROR)",
    );
  return mirror;
}

/** "1.2 0.8 0.5": the load average, printed beside figures taken on a shared machine. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
}
