export {
  createSubnet,
  createVpc,
  describeInstances,
  type Ec2Filters,
  runInstance,
  type SandboxInstance,
} from "./ec2.js";
export { listAccessKeys, type SandboxAccessKey } from "./iam.js";
export { type MotoOptions, type MotoServer, sandboxAwsEnv, startMotoServer } from "./moto.js";
