// Command swagger-dump writes the Kubernetes OpenAPI v2 document that kustomize's kyaml module embeds
// (swagger.pb, Kubernetes v1.21.2) as JSON on stdout. It is the offline source for the core-kind
// schemas in k8s/schemas/core (see k8s/schemas/generate-core.js): no network but the Go module proxy.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	openapi_v2 "github.com/google/gnostic-models/openapiv2"
	"google.golang.org/protobuf/proto"
	"sigs.k8s.io/kustomize/kyaml/openapi/kubernetesapi"
	"sigs.k8s.io/yaml"
)

func main() {
	raw := kubernetesapi.OpenAPIMustAsset[kubernetesapi.DefaultOpenAPI]("kubernetesapi/v1_21_2/swagger.pb")
	doc := &openapi_v2.Document{}
	if err := proto.Unmarshal(raw, doc); err != nil {
		fail(err)
	}
	y, err := doc.YAMLValue("")
	if err != nil {
		fail(err)
	}
	j, err := yaml.YAMLToJSON(y)
	if err != nil {
		fail(err)
	}
	var v any
	if err := json.Unmarshal(j, &v); err != nil {
		fail(err)
	}
	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(v); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "swagger-dump:", err)
	os.Exit(1)
}
