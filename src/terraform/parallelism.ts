/**
 * Terraform's `-parallelism` for an apply, from the plan's size. The default
 * (10 resource operations at once) makes a 30-machine cluster wait on itself:
 * most of an operation is waiting for the cloud (an instance to run), so
 * more at once costs the same CPU and less wall time. The upper bound is the
 * user's, to stay within the cloud API's rate limits (AWS throttles
 * RunInstances and the Describe calls Terraform polls with).
 */

export const TERRAFORM_DEFAULT_PARALLELISM = 10;
/** The default bound: 32 operations at once stays well inside EC2's request-rate buckets. */
export const DEFAULT_MAX_PARALLELISM = 32;

/**
 * One operation per planned resource change, never fewer than Terraform's
 * default (a small plan gains nothing from less), never more than `max`
 * (which may be below the default: the user's rate limit wins). Undefined when
 * the flag should be left out (Terraform's default stands).
 */
export function applyParallelism(
  plannedChanges: number | undefined,
  max = DEFAULT_MAX_PARALLELISM,
): number | undefined {
  if (plannedChanges === undefined) return max < TERRAFORM_DEFAULT_PARALLELISM ? max : undefined;
  const wanted = Math.max(TERRAFORM_DEFAULT_PARALLELISM, plannedChanges);
  const chosen = Math.min(wanted, max);
  return chosen === TERRAFORM_DEFAULT_PARALLELISM ? undefined : chosen;
}
