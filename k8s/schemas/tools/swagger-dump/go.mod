module orderhub/k8s/schemas/tools/swagger-dump

go 1.24

require (
	github.com/google/gnostic-models v0.6.9
	google.golang.org/protobuf v1.36.1
	sigs.k8s.io/kustomize/kyaml v0.20.1
	sigs.k8s.io/yaml v1.5.0
)

require (
	go.yaml.in/yaml/v2 v2.4.2 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
