import { type ClusterRef, clusterLabel } from "../converge/options.js";
import { isUnactionableWarning } from "../terraform/diagnostic-noise.js";
import type { TerraformEvent } from "../terraform/types.js";

/**
 * Progress for people, on stderr (results go to stdout): Terraform's
 * per-resource events as they happen, prefixed with the cluster.
 */
export class Reporter {
  constructor(private readonly stream: NodeJS.WritableStream = process.stderr) {}

  notice(text: string): void {
    this.write(`!! ${text}`);
  }

  step(cluster: ClusterRef, text: string): void {
    this.write(`[${clusterLabel(cluster)}] ${text}`);
  }

  terraformEvent(cluster: ClusterRef, event: TerraformEvent): void {
    const line = describeEvent(event);
    if (line) this.step(cluster, line);
  }

  private write(line: string): void {
    this.stream.write(`${line}\n`);
  }
}

function describeEvent(event: TerraformEvent): string | undefined {
  switch (event.type) {
    case "run_start":
      return `terraform ${event.operation}...`;
    case "run_end":
      return `terraform ${event.operation} finished in ${(event.durationMs / 1000).toFixed(1)}s${
        event.cpuMs !== undefined ? ` (${(event.cpuMs / 1000).toFixed(1)}s CPU)` : ""
      }`;
    case "init_skipped":
      return `terraform init skipped: ${event.reason}`;
    case "apply_start":
    case "apply_progress":
    case "apply_complete":
    case "apply_errored":
    case "resource_drift":
      return event.message;
    case "diagnostic":
      if (isUnactionableWarning(event.diagnostic)) return undefined;
      return `${event.diagnostic.severity}: ${event.diagnostic.summary}${
        event.diagnostic.address ? ` (${event.diagnostic.address})` : ""
      }`;
    default:
      return undefined;
  }
}
