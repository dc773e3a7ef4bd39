/** The bootstrap library's public surface (pure; the controller and stacks wire it in). */
export {
  AWS_PROVIDER_ID_TEMPLATE,
  type BootstrapContext,
  checkBootstrapDataSize,
  providerIdTemplate,
  renderCloudConfig,
  USER_DATA_LIMIT_BYTES,
} from "./cloud-config.js";
export { API_SERVER_PORT, CONTROL_PLANE_ENDPOINT_PLACEHOLDER } from "./endpoint.js";
export {
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  JOIN_TOKEN_CLUSTER_LABEL,
  JOIN_TOKEN_MACHINE_LABEL,
  JOIN_TOKEN_NAMESPACE,
  JOIN_TOKEN_TTL_SECONDS,
  type JoinTokenOwner,
  type JoinTokenRecord,
  type JoinTokenUpkeep,
  joinTokenSecret,
  joinTokenSecretName,
  planJoinTokenUpkeep,
  readJoinTokenSecret,
  tokenExpiration,
} from "./join-tokens.js";
export { compareKubeVersions, type KubeVersion, parseKubeVersion } from "./kube-version.js";
export { type KubeadmApiVersion, kubeadmApiVersionFor } from "./kubeadm/api-version.js";
export { type KubeadmClusterInput, renderInitDocuments, renderJoinDocument } from "./kubeadm/documents.js";
export { KUBECONFIG_SECRET_KEY, kubeconfigSecretName, renderKubeconfig } from "./kubeconfig.js";
export { kubeconfigToIssue } from "./kubeconfig-issue.js";
export {
  type BootstrapChanges,
  type BootstrapMaterials,
  type BootstrapStore,
  type JoinTokenInput,
  lateJoiners,
  prepareBootstrap,
  type StoredBootstrap,
  type StoredToken,
} from "./materials.js";
export {
  type CertAndKey,
  type ClusterPki,
  generateCa,
  generateClusterPki,
  generateServiceAccountKeys,
  issueAdminClientCert,
  type KeyAlgorithm,
  needsRenewal,
} from "./pki.js";
export {
  CLUSTER_SECRET_TYPE,
  checkPkiSecret,
  type PkiSecret,
  pkiFromSecrets,
  pkiSecretName,
  pkiToSecrets,
} from "./pki-secrets.js";
export {
  assignRoles,
  type BootstrapRole,
  chooseInitMachine,
  INIT_MACHINE_ANNOTATION,
  isControlPlaneMachine,
} from "./roles.js";
export { BOOTSTRAP_ANNOTATION, type BootstrapSetting, bootstrapSetting } from "./setting.js";
export { type BootstrapToken, caCertHash, formatGoDuration, generateBootstrapToken } from "./token.js";
export { checkBootstrapVersions, defaultKeyAlgorithm, keyAlgorithmProblem } from "./versions.js";
