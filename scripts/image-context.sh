#!/usr/bin/env bash
# Stages the build context of the Containerfile in DIR (default build/image):
# app/ (dist + production node_modules), terraform (the binary on PATH or
# $CLUSTERFORM_TERRAFORM_BIN) and providers/ (the filesystem mirror from
# $CLUSTERFORM_PROVIDER_MIRROR, else the one clusterform detects).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/image}"
rm -rf "$out"
mkdir -p "$out/app"
npm run build >/dev/null
cp -r dist package.json package-lock.json "$out/app/"
cp -r node_modules "$out/app/node_modules"
(cd "$out/app" && npm prune --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null)
terraform_bin="$(command -v "${CLUSTERFORM_TERRAFORM_BIN:-terraform}")"
cp -L "$terraform_bin" "$out/terraform"
mirror="${CLUSTERFORM_PROVIDER_MIRROR:-$(node --import tsx -e 'import("./src/terraform/mirror.ts").then((m) => console.log(m.findProviderMirror(undefined, process.env) ?? ""))')}"
if [ -z "$mirror" ]; then
  echo "no provider mirror: set CLUSTERFORM_PROVIDER_MIRROR to the folder holding registry.terraform.io" >&2
  exit 1
fi
cp -rL "$mirror" "$out/providers"
echo "staged $out: app $(du -sh "$out/app" | cut -f1), providers $(du -sh "$out/providers" | cut -f1)"
