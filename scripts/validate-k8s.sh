#!/usr/bin/env bash
# Validates the Kubernetes manifests offline:
#   1. `kustomize build` of every overlay in k8s/overlays (base + components + generators) with
#      kustomize's default load restrictions, as `kubectl apply -k` runs it (and `kubectl kustomize`
#      too where kubectl is installed: its embedded kustomize may be older);
#   2. kubeconform -strict on the output against the vendored JSON schemas in k8s/schemas only:
#      core kinds (k8s/schemas/core, generated from Kubernetes v1.21.2 OpenAPI, autoscaling/v2
#      derived) and CRDs (k8s/schemas/crds: ServiceMonitor, PrometheusRule, ScaledObject).
#      No -ignore-missing-schemas: a kind without a vendored schema fails the run;
#   3. the PrometheusRule carries the same groups as deploy/prometheus/alerts.yml.
# Tools come from scripts/install-k8s-tools.sh (go install, cached); nothing else uses the network.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(bash scripts/install-k8s-tools.sh)"
kustomize="$bin/kustomize"
kubeconform="$bin/kubeconform"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

status=0
for overlay in k8s/overlays/*/; do
  name="$(basename "$overlay")"
  if ! "$kustomize" build "$overlay" >"$out/$name.yaml"; then
    echo "validate-k8s: kustomize build $overlay failed" >&2
    status=1
    continue
  fi
  if command -v kubectl >/dev/null 2>&1 && ! kubectl kustomize "$overlay" >/dev/null; then
    echo "validate-k8s: kubectl kustomize $overlay failed" >&2
    status=1
  fi
  if "$kubeconform" -strict -summary -output text \
      -schema-location 'k8s/schemas/core/{{ .ResourceKind }}{{ .KindSuffix }}.json' \
      -schema-location 'k8s/schemas/crds/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json' \
      "$out/$name.yaml"; then
    echo "validate-k8s: overlay $name valid"
  else
    echo "validate-k8s: overlay $name has invalid objects (above)" >&2
    status=1
  fi
done

# The PrometheusRule in k8s must say what the docker-compose Prometheus evaluates.
source scripts/node24.sh >/dev/null 2>&1 || true
node -e '
const YAML = require("yaml"); const fs = require("fs");
const a = YAML.parse(fs.readFileSync("deploy/prometheus/alerts.yml", "utf8")).groups;
const r = YAML.parse(fs.readFileSync("k8s/components/monitoring/prometheusrule.yaml", "utf8")).spec.groups;
if (JSON.stringify(a) !== JSON.stringify(r)) {
  console.error("validate-k8s: k8s/components/monitoring/prometheusrule.yaml differs from deploy/prometheus/alerts.yml");
  process.exit(1);
}
console.log("validate-k8s: PrometheusRule matches deploy/prometheus/alerts.yml");
' || status=1
exit "$status"
