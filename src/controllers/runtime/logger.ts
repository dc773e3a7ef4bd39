/** The runtime's logging seam: structured fields, no secrets (callers pass names, never specs). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line (a pino child logger, for one). */
  child?(fields: Record<string, unknown>): Logger;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LEVELS)[number];

/** `logger` with `fields` on every line: its own child when it has one, else a wrapper. */
export function withFields(logger: Logger, fields: Record<string, unknown>): Logger {
  if (logger.child) return logger.child(fields);
  const merged = (write: Logger["info"]) => (message: string, more?: Record<string, unknown>) =>
    write.call(logger, message, { ...fields, ...more });
  return {
    debug: merged(logger.debug),
    info: merged(logger.info),
    warn: merged(logger.warn),
    error: merged(logger.error),
    child: (more) => withFields(logger, { ...fields, ...more }),
  };
}

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
