/**
 * Bootstrap benchmark (not a test): PKI generation per cluster (both key
 * algorithms), admin certificate issue, cloud-config rendering per machine
 * and role, and, in the same run, the synthesis of a 100-machine AWS cluster
 * today next to synthesis plus rendering all 100 machines' bootstrap data,
 * so the integrator can show rendering keeps synthesis within 2x.
 * Usage: npm run bench:bootstrap
 */

import { checkBootstrapDataSize, renderCloudConfig } from "../src/bootstrap/cloud-config.js";
import { generateClusterPki, issueAdminClientCert, type KeyAlgorithm } from "../src/bootstrap/pki.js";
import type { BootstrapRole } from "../src/bootstrap/roles.js";
import { bootstrapContext, versionedMachine } from "../src/bootstrap/test-support.js";
import { exampleAwsModel } from "../stacks/example-models.js";
import { synthesizeStack } from "../stacks/index.js";

const MACHINES = 100;

async function medianMs(runs: number, action: () => unknown | Promise<unknown>): Promise<number> {
  await action(); // warm-up: module loading and JIT are not per-cluster costs
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await action();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

console.log("PKI per cluster (3 CAs + service-account key pair), median");
for (const algorithm of ["ecdsa-p256", "rsa-2048"] as KeyAlgorithm[]) {
  const pkiMs = await medianMs(algorithm === "rsa-2048" ? 7 : 15, () => generateClusterPki({ algorithm }));
  const pki = await generateClusterPki({ algorithm });
  const adminMs = await medianMs(algorithm === "rsa-2048" ? 7 : 15, () => issueAdminClientCert(pki.ca));
  console.log(
    `  ${algorithm.padEnd(10)}  pki ${pkiMs.toFixed(1).padStart(7)} ms   admin cert ${adminMs.toFixed(1).padStart(6)} ms`,
  );
}

const pki = await generateClusterPki({ algorithm: "rsa-2048" });
const context = bootstrapContext(pki, "1.13.6");
const cases: Array<[BootstrapRole, ReturnType<typeof versionedMachine>]> = [
  ["init", versionedMachine("cp-1", "1.13.6", "1.13.6")],
  ["control-plane-join", versionedMachine("cp-2", "1.13.6", "1.13.6")],
  ["worker-join", versionedMachine("w-1", "1.13.6")],
];
console.log("cloud-config per machine (rsa-2048 PKI, kubeadm v1beta1), median of 201");
for (const [role, machine] of cases) {
  const ms = await medianMs(201, () => renderCloudConfig(machine, role, context));
  const text = renderCloudConfig(machine, role, context);
  const gz = checkBootstrapDataSize(machine, text);
  console.log(
    `  ${role.padEnd(19)} ${ms.toFixed(3).padStart(7)} ms   ${String(text.length).padStart(6)} bytes   ${String(gz).padStart(5)} bytes gzipped (limit 16384)`,
  );
}

const specs = Array.from({ length: MACHINES }, (_, i) => ({
  name: `m-${String(i).padStart(3, "0")}`,
  role: i < 3 ? ("control-plane" as const) : ("node" as const),
}));
const model = exampleAwsModel({ machines: specs });
const machines = specs.map((spec, i) =>
  i < 3 ? versionedMachine(spec.name, "1.13.6", "1.13.6") : versionedMachine(spec.name, "1.13.6"),
);
const roleOf = (i: number): BootstrapRole =>
  i === 0 ? "init" : i < 3 ? "control-plane-join" : "worker-join";
const renderAll = () =>
  machines.map((machine, i) =>
    checkBootstrapDataSize(machine, renderCloudConfig(machine, roleOf(i), context)),
  );
const synthMs = await medianMs(9, () => synthesizeStack(model));
const renderMs = await medianMs(9, renderAll);
const bothMs = await medianMs(9, () => {
  synthesizeStack(model);
  renderAll();
});
console.log(`AWS cluster of ${MACHINES} machines (3 control planes), median of 9`);
console.log(`  synthesis today                       ${synthMs.toFixed(1).padStart(8)} ms`);
console.log(`  bootstrap rendering + size check      ${renderMs.toFixed(1).padStart(8)} ms`);
console.log(
  `  synthesis + rendering                 ${bothMs.toFixed(1).padStart(8)} ms   (${(bothMs / synthMs).toFixed(2)}x synthesis alone; target <= 2x)`,
);
