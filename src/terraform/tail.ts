import { type FileHandle, open } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";

/**
 * Follows a file another process appends to, line by line. Terraform writes
 * its -json stream to a file rather than a pipe so it survives the death of
 * the process that started it (a pipe would kill it with SIGPIPE).
 */
export class LineTail {
  private handle: FileHandle | undefined;
  private offset = 0;
  private partial = "";
  /** Keeps a multi-byte character split across two reads whole. */
  private readonly decoder = new StringDecoder("utf8");
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly onLine: (line: string) => void,
  ) {}

  start(intervalMs = 100): void {
    this.timer = setInterval(() => {
      this.reading = this.reading.then(() => this.readNew());
    }, intervalMs);
  }

  /** Stops polling, reads everything left (including a last line without newline) and closes. */
  async finish(): Promise<void> {
    clearInterval(this.timer);
    await this.reading;
    await this.readNew();
    if (this.partial) this.onLine(this.partial);
    this.partial = "";
    await this.handle?.close();
    this.handle = undefined;
  }

  private async readNew(): Promise<void> {
    this.handle ??= await open(this.path, "r");
    const buffer = Buffer.alloc(64 * 1024);
    for (;;) {
      const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, this.offset);
      if (bytesRead === 0) return;
      this.offset += bytesRead;
      const lines = (this.partial + this.decoder.write(buffer.subarray(0, bytesRead))).split("\n");
      this.partial = lines.pop() ?? "";
      for (const line of lines) this.onLine(line);
    }
  }
}
