package web

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestOpenAPICoversRoutes checks that the OpenAPI document describes every
// /api/v1 and HMA route, with the route's action, and nothing else.
func TestOpenAPICoversRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	s := New(Config{}, Deps{})
	documented := map[string]string{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			action, _ := op["x-haven-action"].(string)
			documented[strings.ToUpper(method)+" "+path] = action
		}
	}
	described := regexp.MustCompile(`^/(api/v1|m|h|c)/`)
	seen := map[string]bool{}
	for _, rt := range s.Routes() {
		if !described.MatchString(rt.Path) {
			continue
		}
		key := rt.Method + " " + rt.Path
		seen[key] = true
		action, ok := documented[key]
		switch {
		case !ok:
			t.Errorf("route %s is not in openapi.json", key)
		case action != string(rt.Action):
			t.Errorf("openapi.json gives %s action %q, the route %q", key, action, rt.Action)
		}
	}
	for key := range documented {
		if !seen[key] {
			t.Errorf("openapi.json describes %s, which is no route", key)
		}
	}
}
