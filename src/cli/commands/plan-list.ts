import { Command } from "commander";
import { addKubeOptions, connect, type KubeFlags, listPendingPlans } from "./plan-common.js";

/** `clusterform plan list`: Clusters with a plan waiting for approval. */
export function planListCommand(): Command {
  const command = new Command("list")
    .description("list Clusters whose plan waits for approval")
    .option("-A, --all-namespaces", "every namespace");
  return addKubeOptions(command).action(async (flags: KubeFlags & { allNamespaces?: boolean }) => {
    const { client, namespace } = connect(flags);
    try {
      const clusters = await listPendingPlans(client, flags.allNamespaces ? undefined : namespace);
      if (clusters.length === 0) {
        process.stdout.write("no pending plans\n");
        return;
      }
      const rows = clusters.map((c) => {
        const p = c.status?.plan;
        return [
          c.metadata.namespace ?? "",
          c.metadata.name ?? "",
          p?.id ?? "",
          String(p?.add ?? 0),
          String(p?.change ?? 0),
          String(p?.destroy ?? 0),
          String(p?.replace ?? 0),
          p?.generatedAt ?? "",
        ];
      });
      process.stdout.write(
        table([["NAMESPACE", "NAME", "PLAN", "ADD", "CHANGE", "DESTROY", "REPLACE", "GENERATED"], ...rows]),
      );
    } finally {
      client.close();
    }
  });
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return `${rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd((widths[i] ?? 0) + 3))
        .join("")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
