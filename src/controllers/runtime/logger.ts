/** The runtime's logging seam: structured fields, no secrets (callers pass names, never specs). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LEVELS)[number];

/** One line per message on stderr: `time level message key=value ...`. */
export function consoleLogger(minimum: LogLevel = "info", name = ""): Logger {
  const threshold = LEVELS.indexOf(minimum);
  const write =
    (level: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (LEVELS.indexOf(level) < threshold) return;
      const rest = Object.entries(fields)
        .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
        .join(" ");
      process.stderr.write(
        `${new Date().toISOString()} ${level} ${name ? `[${name}] ` : ""}${message}${rest ? ` ${rest}` : ""}\n`,
      );
    };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}
