import { joinPath, type PathError } from "./field-path.js";

// AWS's own formats and limits for the values clusterform passes to EC2, so a
// typo is a field error before any plan rather than an API error after one.

const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/;
// A zone is its region plus a letter (us-east-1a), or a Local/Wavelength
// Zone under it (us-east-1-bos-1a, us-east-1-wl1-bos-wlz-1).
const ZONE_SUFFIX = /^([a-z]|-[a-z0-9]+(-[a-z0-9]+)*)$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
// Control characters (C0, DEL, C1): invisible in consoles, refused by the EC2 tag API.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** EC2 tag limits (Tagging your Amazon EC2 resources: tag restrictions). */
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** The largest EBS root volume (gp2/gp3, io1/io2 standard): 16 TiB. */
export const MAX_ROOT_DEVICE_GIB = 16384;

export function checkRegion(region: string, path: string): PathError[] {
  return REGION.test(region)
    ? []
    : [{ path, message: `"${region}" is not an AWS region name such as us-east-1 or eu-west-2` }];
}

/** The zone must be named after `region` when the region is valid. */
export function checkAvailabilityZone(zone: string, region: string | undefined, path: string): PathError[] {
  if (region !== undefined && REGION.test(region)) {
    if (zone.startsWith(region) && ZONE_SUFFIX.test(zone.slice(region.length))) return [];
    return [
      { path, message: `"${zone}" is not an availability zone of region ${region} (such as ${region}a)` },
    ];
  }
  const match = /^([a-z]{2}(-[a-z]+)+-[0-9]{1,2})(.*)$/.exec(zone);
  if (match && ZONE_SUFFIX.test(match[3] ?? "")) return [];
  return [{ path, message: `"${zone}" is not an availability zone name such as us-east-1a` }];
}

export function checkInstanceType(instanceType: string, path: string): PathError[] {
  return INSTANCE_TYPE.test(instanceType)
    ? []
    : [{ path, message: `"${instanceType}" is not an EC2 instance type such as t3.micro or m5.large` }];
}

export function checkAmiId(id: string, path: string): PathError[] {
  return AMI_ID.test(id)
    ? []
    : [{ path, message: `"${id}" is not an AMI id: ami- and 8 or 17 hexadecimal digits` }];
}

/** EC2 tags: key 1-128 characters, not aws:-prefixed, value at most 256, no control characters. */
export function checkTags(tags: Record<string, string> | undefined, base: string): PathError[] {
  const problems: PathError[] = [];
  for (const [key, value] of Object.entries(tags ?? {})) {
    const path = joinPath(base, key);
    if (key.trim() === "") problems.push({ path, message: "tag key must not be empty" });
    else if ([...key].length > MAX_TAG_KEY_LENGTH)
      problems.push({ path, message: `tag key must be at most ${MAX_TAG_KEY_LENGTH} characters` });
    if (key.toLowerCase().startsWith("aws:"))
      problems.push({ path, message: 'tag key must not start with "aws:": AWS reserves that prefix' });
    if (CONTROL.test(key)) problems.push({ path, message: "tag key must not contain control characters" });
    if ([...value].length > MAX_TAG_VALUE_LENGTH)
      problems.push({ path, message: `tag value must be at most ${MAX_TAG_VALUE_LENGTH} characters` });
    if (CONTROL.test(value))
      problems.push({ path, message: "tag value must not contain control characters" });
  }
  return problems;
}
