import { IamAccessKey } from "@cdktf/provider-aws/lib/iam-access-key/index.js";
import { IamUser } from "@cdktf/provider-aws/lib/iam-user/index.js";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { AwsClusterModel } from "../../src/model/types.js";
import { sha256 } from "../../src/util/hash.js";
import { literalMap, type SynthContext } from "../context.js";
import { named } from "../elements.js";
import { CLOUD_ACCESS_KEY_ID_OUTPUT, CLOUD_SECRET_ACCESS_KEY_OUTPUT } from "../outputs.js";
import { clusterTags } from "../tags.js";

/** IAM user names are at most 64 characters. */
const IAM_USER_NAME_MAX = 64;

/**
 * `cloudCredentials.createAccessKey`: an IAM user for the cluster's
 * in-cluster AWS components and one access key. The secret is a sensitive
 * output: Terraform keeps it in the state and prints it nowhere else.
 */
export function addCloudCredentials(scope: Construct, context: SynthContext, model: AwsClusterModel): void {
  if (!model.spec.cloudCredentials?.createAccessKey) return;
  const name = cloudUserName(model.namespace, model.name);
  const user = named(
    new IamUser(scope, "cloud_credentials_user", {
      name: context.literal(name),
      path: "/clusterform/",
      tags: literalMap(context, clusterTags(model, name)),
    }),
    "cloud_credentials",
  );
  const key = named(
    new IamAccessKey(scope, "cloud_credentials_key", { user: user.name }),
    "cloud_credentials",
  );
  named(
    new TerraformOutput(scope, CLOUD_ACCESS_KEY_ID_OUTPUT, { value: key.id }),
    CLOUD_ACCESS_KEY_ID_OUTPUT,
  );
  named(
    new TerraformOutput(scope, CLOUD_SECRET_ACCESS_KEY_OUTPUT, { value: key.secret, sensitive: true }),
    CLOUD_SECRET_ACCESS_KEY_OUTPUT,
  );
}

/** `<namespace>-<cluster>-cloud`; a longer name is cut and given a hash of the whole, so it stays unique. */
export function cloudUserName(namespace: string, cluster: string): string {
  const full = `${namespace}-${cluster}-cloud`;
  if (full.length <= IAM_USER_NAME_MAX) return full;
  const hash = sha256(full).slice(0, 8);
  return `${full.slice(0, IAM_USER_NAME_MAX - 9)}-${hash}`;
}
