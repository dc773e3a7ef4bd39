/**
 * Colours for plan text on a terminal, the way Terraform shows them: the
 * ConfigMap holds plain text (kubectl output stays clean), `clusterform plan
 * show` adds colour only when stdout is a TTY.
 */
const GREEN = "\u001b[32m";
const RED = "\u001b[31m";
const YELLOW = "\u001b[33m";
const MAGENTA = "\u001b[35m";
const BOLD = "\u001b[1m";
const RESET = "\u001b[0m";

export function colourPlanText(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const colour = lineColour(line);
      return colour ? `${colour}${line}${RESET}` : line;
    })
    .join("\n");
}

function lineColour(line: string): string | undefined {
  const body = line.trimStart();
  if (body.startsWith("-/+") || body.startsWith("+/-")) return MAGENTA;
  if (body.startsWith("+")) return GREEN;
  if (body.startsWith("-")) return RED;
  if (body.startsWith("~")) return YELLOW;
  if (body.startsWith("Plan:") || body.startsWith("# ")) return BOLD;
  return undefined;
}
