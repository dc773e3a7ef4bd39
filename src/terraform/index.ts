export * from "./errors.js";
export { findProviderMirror, listMirrorProviders, MIRROR_ENV, resolveProviderMirror } from "./mirror.js";
export { maskSensitive, redactPlanJson, SENSITIVE } from "./plan-json.js";
export { REDACTED, Redactor, SECRET_ENV_NAMES } from "./redact.js";
export type * from "./types.js";
export { parseUiLine, summarisePlan } from "./ui-stream.js";
export { TerraformWorkspace, type WorkspaceOptions } from "./workspace.js";
