// Writes crds/<plural>.cluster.k8s.io.yaml from src/api (npm run gen:crds),
// refusing to write a CRD a Kubernetes API server would reject as non-structural.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { crdFiles, crdManifests } from "../src/api/crds.js";
import { checkStructural } from "../src/api/structural.js";

for (const crd of crdManifests()) {
  const problems = checkStructural(crd.spec.versions[0]?.schema.openAPIV3Schema ?? {});
  if (problems.length) throw new Error(`${crd.metadata.name} is not structural:\n${problems.join("\n")}`);
}
const dir = join(import.meta.dirname, "..", "crds");
for (const { fileName, text } of crdFiles()) {
  writeFileSync(join(dir, fileName), text);
  console.log(`wrote crds/${fileName}`);
}
