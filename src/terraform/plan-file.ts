import { readFile } from "node:fs/promises";
import { inflateRawSync } from "node:zlib";

/**
 * A saved plan is a zip (Go's archive/zip) whose `tfstate` entry is the prior
 * state the plan was made against, with that state's lineage and serial. It
 * names the planned-against state exactly, without another Terraform run
 * (`state pull` would cost ~0.5 s CPU and could race a writer).
 */
export async function readPlannedPriorState(planFile: string): Promise<string | undefined> {
  const entry = readZipEntry(await readFile(planFile), "tfstate");
  return entry?.toString("utf8");
}

const END_OF_CENTRAL_DIRECTORY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** One entry of a zip archive (stored or deflated, no zip64: plan files are small); undefined if absent or unreadable. */
export function readZipEntry(zip: Buffer, name: string): Buffer | undefined {
  const end = zip.lastIndexOf(END_OF_CENTRAL_DIRECTORY);
  if (end < 0 || end + 22 > zip.length) return undefined;
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count && offset + 46 <= zip.length; i++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) return undefined;
    const method = zip.readUInt16LE(offset + 10);
    // From the central directory: Go writes the local header's sizes as 0 and a data descriptor after the data.
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    if (zip.toString("utf8", offset + 46, offset + 46 + nameLength) === name)
      return entryData(zip, localOffset, compressedSize, method);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return undefined;
}

function entryData(zip: Buffer, localOffset: number, size: number, method: number): Buffer | undefined {
  if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL_FILE_HEADER) return undefined;
  const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
  const data = zip.subarray(start, start + size);
  if (method === 0) return data;
  if (method === 8) return inflateRawSync(data);
  return undefined;
}
