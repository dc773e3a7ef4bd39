import { type ChildProcess, spawn } from "node:child_process";
import { PrerequisiteError } from "../errors.js";

/**
 * The local AWS sandbox: moto's server mode, bound to loopback, as the AWS
 * API for tests and `--aws-sandbox`. Nothing real is ever touched.
 */

export interface MotoServer {
  /** e.g. http://127.0.0.1:41234 */
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

export interface MotoOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Command to start moto; default: moto with idempotent RunInstances, then `moto_server`, then `python3 -m moto.server`. */
  command?: readonly string[];
  startTimeoutMs?: number;
}

/**
 * moto with one AWS behaviour it lacks: RunInstances is idempotent by ClientToken. The AWS SDK retries a
 * RunInstances that failed or timed out with the same token, and AWS launches nothing new; moto 5.2 ignores
 * the token and launches a second instance that no Terraform state records (seen under load: two instances
 * for one Machine). Without the patch (another moto version) moto still starts, and says so on stderr.
 */
const IDEMPOTENT_MOTO = `
import sys, threading
try:
    from moto.ec2.models.instances import InstanceBackend
    _run_instances = InstanceBackend.run_instances
    _lock = threading.Lock()
    def run_instances(self, image_id, count, user_data, security_group_names, **kwargs):
        token = kwargs.get("client_token")
        with _lock:
            if token and token != "ABCDE":
                for reservation in list(self.reservations.values()):
                    if any(getattr(i, "client_token", None) == token for i in reservation.instances):
                        return reservation
            return _run_instances(self, image_id, count, user_data, security_group_names, **kwargs)
    InstanceBackend.run_instances = run_instances
except Exception as error:
    print("clusterform: moto runs without RunInstances idempotency: %s" % error, file=sys.stderr)
from moto.server import main
main(sys.argv[1:])
`;

const CANDIDATES: readonly (readonly string[])[] = [
  ["python3", "-c", IDEMPOTENT_MOTO],
  ["moto_server"],
  ["python3", "-m", "moto.server"],
];
const INSTALL_HINT = 'install it with `pip install "moto[server]"` (moto 5.x provides `moto_server`)';

export async function startMotoServer(options: MotoOptions = {}): Promise<MotoServer> {
  const candidates = options.command ? [options.command] : CANDIDATES;
  const failures: string[] = [];
  for (const command of candidates) {
    try {
      return await startWith(command, options.port ?? 0, options.startTimeoutMs ?? 30_000);
    } catch (error) {
      if (!(error instanceof MotoStartFailure)) throw error;
      failures.push(
        `${command === CANDIDATES[0] ? "moto with idempotent RunInstances" : command.join(" ")}: ${error.message}`,
      );
    }
  }
  throw new PrerequisiteError(`cannot start the AWS emulator moto (${failures.join("; ")}); ${INSTALL_HINT}`);
}

class MotoStartFailure extends Error {}

async function startWith(command: readonly string[], port: number, timeoutMs: number): Promise<MotoServer> {
  const [program = "moto_server", ...prefix] = command;
  const child = spawn(program, [...prefix, "-H", "127.0.0.1", "-p", String(port)], {
    // Own process group: stop() ends the pyenv shim and python together.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const endpoint = await waitForListening(child, timeoutMs);
  const pid = child.pid as number;
  const killOnExit = () => signalGroup(pid, "SIGKILL");
  process.once("exit", killOnExit);
  child.stdout?.resume();
  child.stderr?.resume();
  await waitUntilAnswering(endpoint, timeoutMs);
  return {
    endpoint,
    pid,
    stop: async () => {
      process.removeListener("exit", killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      signalGroup(pid, "SIGTERM");
      const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Werkzeug prints ` * Running on http://127.0.0.1:PORT` (the real port, also for -p 0) to stderr. */
function waitForListening(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const fail = (why: string) => {
      cleanup();
      if (child.pid) signalGroup(child.pid, "SIGKILL");
      reject(new MotoStartFailure(why));
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match?.[1]) {
        cleanup();
        resolve(match[1]);
      }
    };
    const onError = (error: NodeJS.ErrnoException) =>
      fail(error.code === "ENOENT" ? "not found" : error.message);
    const onExit = (code: number | null) =>
      fail(`exited with ${code}: ${seen.trim().split("\n").slice(-3).join(" ")}`);
    const timer = setTimeout(() => fail(`did not start listening within ${timeoutMs} ms`), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("error", onError);
      child.off("exit", onExit);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", onError);
    child.once("exit", onExit);
  });
}

async function waitUntilAnswering(endpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new PrerequisiteError(`moto at ${endpoint} does not answer: ${error}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Environment for Terraform (and SDKs) talking to the sandbox: dummy credentials, never real ones. */
export function sandboxAwsEnv(endpoint: string, region = "us-east-1"): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "sandbox-secret-not-real",
    AWS_SESSION_TOKEN: "",
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ENDPOINT_URL: endpoint,
    // Never read a real profile or instance metadata by accident.
    AWS_PROFILE: "",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}
