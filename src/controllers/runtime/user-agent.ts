import type { KubeConfig } from "@kubernetes/client-node";

/**
 * Every request the controllers make names itself with this User-Agent, as
 * controller-runtime's managers do: an API server's audit log can then tell
 * the controller from kubectl or a test's own client. The RBAC proof
 * (src/deploy/rbac-check.ts) keeps only the requests carrying it.
 */
export const CONTROLLER_USER_AGENT = "clusterform-controller";

/**
 * The same KubeConfig (credentials, cluster, context; nothing copied), whose
 * requests carry the User-Agent. client-node's watches call
 * applyToHTTPSOptions through applyToFetchOptions, so both paths are covered.
 */
export function withUserAgent(kubeConfig: KubeConfig, userAgent: string): KubeConfig {
  const tagged = Object.create(kubeConfig) as KubeConfig;
  tagged.applyToHTTPSOptions = async (options) => {
    await kubeConfig.applyToHTTPSOptions.call(tagged, options);
    options.headers = { ...options.headers, "User-Agent": userAgent };
  };
  return tagged;
}
