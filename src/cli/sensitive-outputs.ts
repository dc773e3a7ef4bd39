/**
 * File mode has no Secret to put sensitive outputs in: they stay in the
 * Terraform state, and the CLI names them with the command that reads one.
 * Their values are never printed.
 */
export function sensitiveOutputsNotice(names: readonly string[], workDir: string): string | undefined {
  if (names.length === 0) return undefined;
  const first = names[0] ?? "NAME";
  return (
    `sensitive outputs (not printed): ${names.join(", ")}; ` +
    `read one with: terraform -chdir=${quoteForShell(workDir)} output -raw ${first}`
  );
}

/** Where the workload cluster's kubeconfig is (never its contents), and the command that finds it again. */
export function kubeconfigNotice(
  cluster: { namespace: string; name: string },
  path: string,
  stateDir: string,
): string {
  const again = `clusterform kubeconfig ${cluster.name} -n ${cluster.namespace} --state-dir ${quoteForShell(stateDir)}`;
  return `workload cluster kubeconfig (0600, not printed): ${quoteForShell(path)}; find it again with: ${again}`;
}

/** Single quotes unless the path is plain, so the hint can be pasted into a shell. */
function quoteForShell(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
