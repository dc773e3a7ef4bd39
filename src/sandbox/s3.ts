/**
 * A tiny S3 client for the sandbox: enough to create a state bucket and read
 * an object back. Path-style URLs; moto accepts any credentials and routes the
 * request to S3 by the service named in the (unsigned) Authorization header.
 */

export async function createBucket(endpoint: string, bucket: string, region = "us-east-1"): Promise<void> {
  const response = await s3Request(endpoint, "PUT", `/${encodeURIComponent(bucket)}`, region);
  // 409: the bucket exists already (BucketAlreadyOwnedByYou), which is what the caller wants.
  if (!response.ok && response.status !== 409)
    throw new Error(
      `S3 CreateBucket ${bucket} at ${endpoint} failed (${response.status}): ${await response.text()}`,
    );
}

/** The object's body, or undefined when it does not exist. */
export async function getObject(
  endpoint: string,
  bucket: string,
  key: string,
  region = "us-east-1",
): Promise<string | undefined> {
  const response = await s3Request(endpoint, "GET", objectPath(bucket, key), region);
  if (response.status === 404) return undefined;
  if (!response.ok)
    throw new Error(`S3 GetObject ${bucket}/${key} failed (${response.status}): ${await response.text()}`);
  return response.text();
}

/** Writes an object (e.g. a Terraform lock file a test plants as another holder would). */
export async function putObject(
  endpoint: string,
  bucket: string,
  key: string,
  body: string,
  region = "us-east-1",
): Promise<void> {
  const response = await s3Request(endpoint, "PUT", objectPath(bucket, key), region, body);
  if (!response.ok)
    throw new Error(`S3 PutObject ${bucket}/${key} failed (${response.status}): ${await response.text()}`);
}

/** Deletes an object; deleting a missing one succeeds, as in S3. */
export async function deleteObject(
  endpoint: string,
  bucket: string,
  key: string,
  region = "us-east-1",
): Promise<void> {
  const response = await s3Request(endpoint, "DELETE", objectPath(bucket, key), region);
  if (!response.ok && response.status !== 404)
    throw new Error(`S3 DeleteObject ${bucket}/${key} failed (${response.status}): ${await response.text()}`);
}

function objectPath(bucket: string, key: string): string {
  return `/${encodeURIComponent(bucket)}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

function s3Request(
  endpoint: string,
  method: string,
  path: string,
  region: string,
  body?: string,
): Promise<Response> {
  const date = new Date().toISOString().slice(0, 10).replaceAll("-", "");
  return fetch(new URL(path, endpoint), {
    method,
    headers: {
      Authorization: `AWS4-HMAC-SHA256 Credential=testing/${date}/${region}/s3/aws4_request, SignedHeaders=host, Signature=sandbox`,
      "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body } : {}),
    signal: AbortSignal.timeout(15_000),
  });
}
