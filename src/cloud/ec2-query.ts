import aws4 from "aws4";
import { ClusterformError } from "../errors.js";
import type { AwsApiTarget } from "./aws-target.js";

/** EC2 Query API version the requests speak (the one Terraform's provider and the emulator use). */
const EC2_API_VERSION = "2016-11-15";
const TIMEOUT_MS = 15_000;

/** A failed EC2 call: the message names the action and the endpoint, never the credentials. */
export class Ec2QueryError extends ClusterformError {
  readonly reason = "CloudApiError";
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = "Ec2QueryError";
  }
}

/**
 * One signed EC2 Query API call (form-encoded POST, SigV4 by the `aws4`
 * library), answered XML as text. Host and Content-Length are signed by aws4
 * and sent by fetch itself with the same values.
 */
export async function ec2Query(target: AwsApiTarget, params: Record<string, string>): Promise<string> {
  const url = new URL(target.endpoint);
  const body = new URLSearchParams({ ...params, Version: EC2_API_VERSION }).toString();
  const request = aws4.sign(
    {
      host: url.host,
      path: url.pathname || "/",
      method: "POST",
      service: "ec2",
      region: target.region,
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" },
    },
    target.credentials,
  );
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {})
      .filter(([name]) => !["host", "content-length"].includes(name.toLowerCase()))
      .map(([name, value]) => [name, String(value)]),
  );
  const where = `EC2 ${params.Action} at ${url.origin}`;
  let response: Response;
  try {
    response = await fetch(`${url.origin}${request.path}`, {
      method: "POST",
      headers,
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new Ec2QueryError(`${where} failed: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) throw new Ec2QueryError(`${where} failed (${response.status}): ${errorCode(text)}`);
  return text;
}

/** The API's error code and message (never the request, which carries the signature). */
function errorCode(xml: string): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(xml)?.[1] ?? "unknown error";
  const message = /<Message>([^<]*)<\/Message>/.exec(xml)?.[1];
  return message ? `${code}: ${message.slice(0, 200)}` : code;
}

/** `Filter.N.Name` / `Filter.N.Value.M` parameters. */
export function filterParams(filters: Record<string, readonly string[]>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [index, [name, values]] of Object.entries(filters).entries()) {
    params[`Filter.${index + 1}.Name`] = name;
    for (const [valueIndex, value] of values.entries())
      params[`Filter.${index + 1}.Value.${valueIndex + 1}`] = value;
  }
  return params;
}
