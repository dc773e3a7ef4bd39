// Writes clusterform-components.yaml from src/deploy (npm run gen:components),
// refusing to write an object the Kubernetes OpenAPI schema rejects.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { builtInObjects, COMPONENTS_FILE, renderComponents } from "../src/deploy/components.js";

for (const object of builtInObjects()) object.validate();
writeFileSync(join(import.meta.dirname, "..", COMPONENTS_FILE), renderComponents());
console.log(`wrote ${COMPONENTS_FILE}`);
