/**
 * Synthesis cost of bootstrap delivery (not a test): median time to
 * synthesize a 100-machine cluster bare and with every Machine bootstrapped
 * (AWS in both endpoint modes, vSphere), in one process after a warm-up.
 * Usage: node --import tsx bench/bootstrap-stacks.ts
 */
import type { ClusterModel } from "../src/model/types.js";
import { exampleAwsModel, exampleVsphereModel } from "../stacks/example-models.js";
import { synthesizeStack } from "../stacks/index.js";

const MACHINES = 100;
const RUNS = 9;

const specs = Array.from({ length: MACHINES }, (_, i) => ({
  name: `m-${String(i).padStart(3, "0")}`,
  role: i < 3 ? ("control-plane" as const) : ("node" as const),
}));
const names = specs.map((spec) => spec.name);
const bootstrapped = <M extends ClusterModel>(model: M): M => ({
  ...model,
  bootstrap: { machines: names, initMachine: "m-000" },
});

function median(model: ClusterModel): { ms: number; kib: number } {
  synthesizeStack(model);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    bytes = synthesizeStack(model).json.length;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] ?? 0, kib: bytes / 1024 };
}

const aws = exampleAwsModel({ machines: specs });
const awsInit = exampleAwsModel({ machines: specs, spec: { controlPlaneEndpoint: { type: "InitMachine" } } });
const vsphere = exampleVsphereModel({
  machines: specs,
  spec: { controlPlaneEndpoint: { host: "10.0.0.100" } },
});
const rows: [string, ClusterModel, ClusterModel][] = [
  ["aws LoadBalancer", aws, bootstrapped(aws)],
  ["aws InitMachine", awsInit, bootstrapped(awsInit)],
  ["vsphere", vsphere, bootstrapped(vsphere)],
];
console.log(`synthesis of one ${MACHINES}-machine cluster, median of ${RUNS} runs after a warm-up`);
console.log("stack              bare ms  bootstrapped ms  ratio  bare KiB  bootstrapped KiB");
for (const [label, bare, withBootstrap] of rows) {
  const a = median(bare);
  const b = median(withBootstrap);
  console.log(
    `${label.padEnd(17)} ${a.ms.toFixed(0).padStart(8)} ${b.ms.toFixed(0).padStart(16)} ${(b.ms / a.ms).toFixed(2).padStart(6)} ${a.kib.toFixed(0).padStart(9)} ${b.kib.toFixed(0).padStart(17)}`,
  );
}
