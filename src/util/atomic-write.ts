import { rename, rm, writeFile } from "node:fs/promises";

/**
 * Replaces `file` whole: the text goes to a temporary file beside it, which is
 * then renamed over it, so a reader (a pipeline, the next pass, a crash
 * recovery) sees the old bytes or the new ones, never half of them. The
 * temporary name carries the pid, so two processes never share one.
 */
export async function writeFileAtomic(
  file: string,
  text: string,
  options: { mode?: number } = {},
): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text, options.mode === undefined ? {} : { mode: options.mode });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** A record written as indented JSON with a final newline, atomically. */
export function writeJsonAtomic(
  file: string,
  value: unknown,
  options: { mode?: number } = {},
): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, options);
}
