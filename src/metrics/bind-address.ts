/** Where an endpoint listens: host (all interfaces when empty) and port. */
export interface BindAddress {
  host: string;
  port: number;
}

/**
 * Parses a controller-runtime style bind address: `:8080` (every
 * interface), `127.0.0.1:8080`, `[::1]:8080`; `0` turns the endpoint off
 * (undefined). Throws a message naming the flag otherwise.
 */
export function parseBindAddress(flag: string, text: string): BindAddress | undefined {
  if (text === "0") return undefined;
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65_535) {
    throw new Error(
      `${flag}: expected [host]:port such as :8080 or 127.0.0.1:8080, or 0 to disable, got "${text}"`,
    );
  }
  return { host: match[1] ?? match[2] ?? "", port };
}

export function describeBindAddress(address: BindAddress): string {
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  return `${host}:${address.port}`;
}
