/**
 * Synthesis benchmark (not a test): median time to synthesize one cluster of
 * 1, 10 and 100 machines, AWS and vSphere, and the peak memory of a process
 * doing only that. Each size runs in its own child process so peak RSS is
 * that size's alone. Usage: npm run bench
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { exampleAwsModel, exampleVsphereModel } from "../stacks/example-models.js";
import { synthesizeStack } from "../stacks/index.js";

const SIZES = [1, 10, 100];
const RUNS: Record<number, number> = { 1: 21, 10: 15, 100: 9 };

interface Figures {
  provider: string;
  machines: number;
  runs: number;
  medianMs: number;
  minMs: number;
  bytes: number;
  peakRssMiB: number;
  heapGrowthKiBPerSynth: number;
}

function measure(provider: "aws" | "vsphere", machines: number): Figures {
  const specs = Array.from({ length: machines }, (_, i) => ({
    name: `m-${String(i).padStart(3, "0")}`,
    role: i === 0 ? ("control-plane" as const) : ("node" as const),
  }));
  const model =
    provider === "aws" ? exampleAwsModel({ machines: specs }) : exampleVsphereModel({ machines: specs });
  synthesizeStack(model); // warm: module loading and JIT are not per-cluster costs
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const runs = RUNS[machines] ?? 5;
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    bytes = synthesizeStack(model).json.length;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  global.gc?.();
  const heapGrowth = (process.memoryUsage().heapUsed - heapBefore) / 1024 / runs;
  times.sort((a, b) => a - b);
  return {
    provider,
    machines,
    runs,
    medianMs: times[Math.floor(times.length / 2)] ?? 0,
    minMs: times[0] ?? 0,
    bytes,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    heapGrowthKiBPerSynth: heapGrowth,
  };
}

const [, , mode, provider, size] = process.argv;
if (mode === "--one") {
  process.stdout.write(JSON.stringify(measure(provider as "aws" | "vsphere", Number(size))));
} else {
  const self = fileURLToPath(import.meta.url);
  const rows: Figures[] = [];
  for (const p of ["aws", "vsphere"]) {
    for (const n of SIZES) {
      const out = execFileSync(
        process.execPath,
        ["--expose-gc", "--import", "tsx", self, "--one", p, String(n)],
        {
          encoding: "utf8",
        },
      );
      rows.push(JSON.parse(out) as Figures);
    }
  }
  console.log("synthesis of one cluster (median of N runs after one warm-up; each size in a fresh process)");
  console.log(
    "provider  machines  runs  median ms  min ms  json KiB  ms/machine  peak RSS MiB  heap KiB/synth",
  );
  for (const r of rows) {
    console.log(
      [
        r.provider.padEnd(8),
        String(r.machines).padStart(8),
        String(r.runs).padStart(5),
        r.medianMs.toFixed(1).padStart(10),
        r.minMs.toFixed(1).padStart(7),
        (r.bytes / 1024).toFixed(0).padStart(9),
        (r.medianMs / r.machines).toFixed(2).padStart(11),
        r.peakRssMiB.toFixed(0).padStart(13),
        r.heapGrowthKiBPerSynth.toFixed(0).padStart(15),
      ].join(" "),
    );
  }
}
