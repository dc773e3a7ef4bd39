// The public face of stacks/: everything else in this folder is internal and
// CDKTF stays behind it (CDKTF is archived upstream).

export { CONTROL_PLANE_ENDPOINT_PLACEHOLDER } from "../src/bootstrap/endpoint.js";
export { machineResourceAddress } from "./addresses.js";
export { instanceAddress } from "./adoption.js";
export { bootstrapVariableName, bootstrapVariables } from "./bootstrap.js";
export { HOSTILE_STRINGS } from "./hostile-strings.js";
export { escapeTerraformTemplate } from "./literals.js";
export * from "./outputs.js";
export { stackReadme } from "./readme.js";
export { managedAddresses, type StackResource } from "./summary.js";
export { LOCAL_STATE_PATH, type StackOptions, type SynthesizedStack, synthesizeStack } from "./synthesize.js";
export { machineTags } from "./tags.js";
