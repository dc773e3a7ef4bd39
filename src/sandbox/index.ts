export { describeInstances, type Ec2Filters, type SandboxInstance } from "./ec2.js";
export { type MotoOptions, type MotoServer, sandboxAwsEnv, startMotoServer } from "./moto.js";
