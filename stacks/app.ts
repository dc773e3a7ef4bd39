// For cdktf CLI users only (`cdktf synth` runs this via cdktf.json); nothing
// in clusterform needs it. It synthesizes the fixtures' clusters with
// synthesizeStack and writes the layout the CLI expects (manifest.json and
// stacks/<name>/cdk.tf.json). It does not call App.synth(): that would skip
// the literal escaping synthesizeStack applies after cdktf has run.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatFieldError } from "../src/api/field-error.js";
import { modelsFromManifests } from "../src/model/from-manifests.js";
import { synthesizeStack } from "./index.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const fixtureDirs = [join(repoRoot, "fixtures", "aws"), join(repoRoot, "fixtures", "vsphere")];
const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
const awsEndpoint = process.env.CLUSTERFORM_AWS_ENDPOINT || undefined;

const result = await modelsFromManifests(fixtureDirs);
if (result.allErrors.length > 0) {
  for (const error of result.allErrors) console.error(formatFieldError(error));
  process.exit(2);
}

const stacks: Record<string, object> = {};
for (const model of result.models) {
  const name = `${model.namespace}-${model.name}`;
  const stack = synthesizeStack(model, { awsEndpoint });
  const workingDirectory = join("stacks", name);
  mkdirSync(join(outdir, workingDirectory), { recursive: true });
  writeFileSync(join(outdir, workingDirectory, "cdk.tf.json"), stack.json);
  stacks[name] = {
    name,
    constructPath: name,
    workingDirectory,
    synthesizedStackPath: join(workingDirectory, "cdk.tf.json"),
    stackMetadataPath: join(workingDirectory, "metadata.json"),
    annotations: [],
    dependencies: [],
  };
  writeFileSync(
    join(outdir, workingDirectory, "metadata.json"),
    `${JSON.stringify({ stackName: name }, null, 2)}\n`,
  );
  console.log(`${name}: ${stack.summary}`);
}
writeFileSync(join(outdir, "manifest.json"), `${JSON.stringify({ version: "0.21.0", stacks }, null, 2)}\n`);
