/**
 * Worst-case time of CRD `pattern` validation (not a test). Each adversarial
 * pattern/value pair is validated through the server's schema validator (RE2
 * semantics, re2js) and, for comparison, with the backtracking engine the
 * server used before (JavaScript RegExp), run in a worker that is stopped
 * after a cap because it may not finish for hours.
 *
 *   node --import tsx bench/crd-validation.ts [capMs=2000]
 */
import { Worker } from "node:worker_threads";
import { maxBodyBytes } from "../src/control-plane/http-util.js";
import { patternSyntaxError } from "../src/control-plane/schema/pattern.js";
import { validateValue } from "../src/control-plane/schema/validate.js";

const capMs = Number(process.argv[2] ?? 2000);

interface Case {
  pattern: string;
  value: string;
  label: string;
}

const as = (n: number) => "a".repeat(n);
const cases: Case[] = [
  { label: "nested plus, 25 a + !", pattern: "^(a+)+$", value: `${as(25)}!` },
  { label: "nested plus, 40 a + !", pattern: "^(a+)+$", value: `${as(40)}!` },
  { label: "alternation overlap", pattern: "^(a|aa)+$", value: `${as(40)}!` },
  { label: "optional in star", pattern: "^(a|a?)+$", value: `${as(40)}!` },
  { label: "double plus", pattern: "(x+x+)+y", value: "x".repeat(40) },
  { label: "words and spaces", pattern: "^([a-zA-Z0-9]+\\s?)+$", value: `${"word ".repeat(8)}!` },
  { label: "e-mail like", pattern: "^([a-z0-9]+\\.?)*@example\\.com$", value: `${"a.".repeat(20)}x` },
  {
    label: "DNS subdomain, 1 MiB",
    pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
    value: `${as(1 << 20)}-`,
  },
  { label: "nested plus, 1 MiB", pattern: "^(a+)+$", value: `${as(1 << 20)}!` },
  { label: "nested plus, body limit", pattern: "^(a+)+$", value: `${as(maxBodyBytes - 64)}!` },
  { label: "unanchored search, body limit", pattern: "a{2}b", value: as(maxBodyBytes - 64) },
];

function timeRe2(pattern: string, value: string): number {
  const schema = { type: "object", properties: { code: { type: "string", pattern } } };
  const started = performance.now();
  validateValue({ code: value }, schema, "spec");
  return performance.now() - started;
}

/** The old engine in a worker; undefined when it had to be stopped at the cap. */
function timeBacktracking(pattern: string, value: string): Promise<number | undefined> {
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const started = performance.now();
     new RegExp(workerData.pattern, "u").test(workerData.value);
     parentPort.postMessage(performance.now() - started);`,
    { eval: true, workerData: { pattern, value } },
  );
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve(undefined);
    }, capMs);
    worker.once("message", (ms: number) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(ms);
    });
    worker.once("error", () => {
      clearTimeout(timer);
      resolve(Number.NaN);
    });
  });
}

const format = (ms: number | undefined) =>
  ms === undefined ? `> ${capMs} ms (stopped)` : Number.isNaN(ms) ? "error" : `${ms.toFixed(2)} ms`;

console.log(`CRD pattern validation, worst cases (backtracking engine stopped after ${capMs} ms)\n`);
console.log("| case | value length | RE2 (re2js) | backtracking RegExp (before) |");
console.log("| --- | ---: | ---: | ---: |");
let worst = 0;
for (const item of cases) {
  if (patternSyntaxError(item.pattern)) throw new Error(`${item.pattern} is not RE2 syntax`);
  const re2 = Math.max(timeRe2(item.pattern, item.value), timeRe2(item.pattern, item.value));
  worst = Math.max(worst, re2);
  const before = await timeBacktracking(item.pattern, item.value);
  console.log(
    `| ${item.label} \`${item.pattern.slice(0, 40)}\` | ${item.value.length} | ${format(re2)} | ${format(before)} |`,
  );
}
console.log(`\nworst RE2 validation time: ${worst.toFixed(2)} ms`);

const refused = ["(?=a)b", "(?<=a)b", "(a)\\1", "a{1001}"].map(
  (p) => `${p}: ${patternSyntaxError(p) ?? "accepted"}`,
);
console.log(`\npatterns refused at CRD creation:\n  ${refused.join("\n  ")}`);
