#!/usr/bin/env bash
# Fetches Debian bookworm's cloud-init (22.4) and the Python packages its
# `cloud-init schema` command imports, unpacked (never installed: no service,
# no dpkg database change) into a cache folder the bootstrap e2e test runs it
# from with the machine's /usr/bin/python3 and PYTHONPATH.
#   usage: scripts/fetch-cloud-init.sh [CACHE_DIR]   (default .cache/cloud-init)
# Prints the cache folder on success; exits non-zero with a reason otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${1:-.cache/cloud-init}"
stamp="$cache/.complete"
if [ -f "$stamp" ]; then echo "$cache"; exit 0; fi

fail() { echo "fetch-cloud-init: $*" >&2; exit 1; }
command -v apt-get >/dev/null || fail "apt-get not found: a Debian bookworm machine (or container) is needed to fetch cloud-init 22.4"
command -v dpkg >/dev/null || fail "dpkg not found"
[ -x /usr/bin/python3 ] || fail "/usr/bin/python3 not found (the unpacked packages are built for Debian's python3)"

# Deps of `cloud-init schema` (PyYAML, jsonschema and what cloud-init's
# package imports on the way), as Debian bookworm packages.
packages=(
  cloud-init
  python3-yaml python3-jsonschema python3-attr python3-pyrsistent
  python3-jinja2 python3-markupsafe python3-configobj python3-six
  python3-jsonpatch python3-json-pointer python3-netifaces python3-oauthlib
  python3-requests python3-urllib3 python3-idna python3-certifi
  python3-chardet python3-charset-normalizer python3-serial
)

if ! apt-cache show cloud-init >/dev/null 2>&1; then
  apt-get update >/dev/null || fail "apt-get update failed (no network to the Debian mirror?)"
fi
version="$(apt-cache policy cloud-init | awk '/Candidate:/ {print $2}')"
case "$version" in
  22.4*) ;;
  *) fail "the apt sources offer cloud-init '$version', expected Debian bookworm's 22.4" ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 0777 "$work" # apt-get download drops to the _apt user
( cd "$work" && apt-get download "${packages[@]}" >/dev/null ) || fail "apt-get download failed for: ${packages[*]}"
rm -rf "$cache.partial"
mkdir -p "$cache.partial"
for deb in "$work"/*.deb; do dpkg -x "$deb" "$cache.partial/root"; done
[ -d "$cache.partial/root/usr/lib/python3/dist-packages/cloudinit" ] || fail "cloud-init's Python package missing after unpacking"
echo "$version" > "$cache.partial/.complete"
rm -rf "$cache"
mv "$cache.partial" "$cache"
echo "$cache"
