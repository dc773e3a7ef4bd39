/**
 * One AWS Query API call (form-encoded POST) against the sandbox. moto accepts
 * any credentials, so the request carries a well-formed but unsigned SigV4
 * Authorization header: moto reads the service and region from its scope.
 */
export async function sandboxQuery(
  endpoint: string,
  service: string,
  params: URLSearchParams,
  region: string,
): Promise<string> {
  const date = new Date().toISOString().slice(0, 10).replaceAll("-", "");
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
      Authorization: `AWS4-HMAC-SHA256 Credential=testing/${date}/${region}/${service}/aws4_request, SignedHeaders=host, Signature=sandbox`,
    },
    body: params.toString(),
    signal: AbortSignal.timeout(15_000),
  });
  const body = await response.text();
  if (!response.ok) {
    const action = params.get("Action");
    throw new Error(`${service.toUpperCase()} ${action} at ${endpoint} failed (${response.status}): ${body}`);
  }
  return body;
}
