#!/usr/bin/env bash
# Installs the Kubernetes manifest tools the validation needs, with `go install` (source from the Go
# module proxy, built here: no prebuilt binary downloads) into $ORDERHUB_CACHE/bin, and prints that
# folder. Skips a tool whose binary is already there with the pinned version.
#   kustomize   renders k8s/overlays/* (base + components)
#   kubeconform validates the rendered objects against vendored JSON schemas (k8s/schemas)
set -euo pipefail
KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-v5.7.1}"
KUBECONFORM_VERSION="${KUBECONFORM_VERSION:-v0.7.0}"
bin="${ORDERHUB_CACHE:-$HOME/.cache/orderhub}/bin"
mkdir -p "$bin"
export GOBIN="$bin" GOTOOLCHAIN="${GOTOOLCHAIN:-local}" DO_NOT_TRACK=1 GOFLAGS="${GOFLAGS:-} -mod=mod"
if ! command -v go >/dev/null 2>&1; then
  echo "install-k8s-tools.sh: go is not installed (needed to build kustomize and kubeconform)" >&2
  exit 1
fi
# A stamp file per tool records the version built, so a version bump here rebuilds it.
install_tool() { # name module version
  local name="$1" module="$2" version="$3" stamp="$bin/.$1.version"
  if [ -x "$bin/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then return 0; fi
  echo "install-k8s-tools.sh: building $name $version" >&2
  go install "$module@$version" >&2
  echo "$version" >"$stamp"
}
install_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"
install_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
echo "$bin"
