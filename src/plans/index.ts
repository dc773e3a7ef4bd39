export * from "./apply-policy.js";
export * from "./approval.js";
export * from "./drift.js";
export * from "./duration.js";
export * from "./gate.js";
export * from "./machine-changes.js";
export * from "./plan-configmap.js";
export * from "./plan-id.js";
export { colourPlanText } from "./render.js";
