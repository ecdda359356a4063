package annotate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadTargets(t *testing.T) {
	targets := exampleTargets(t)
	if len(targets) < 3 || targets[0].Name != "قطر" || !strings.Contains(strings.Join(targets[0].Aliases, "|"), "Qatar") {
		t.Fatalf("examples/targets.yaml: %+v", targets)
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	wrapped, err := LoadTargets(write("wrapped.yaml", "targets:\n  - name: CSTO\n    aliases: [منظمة معاهدة الأمن الجماعي]\n"))
	if err != nil || len(wrapped) != 1 || wrapped[0].Name != "CSTO" {
		t.Fatalf("targets: mapping form: %+v, %v", wrapped, err)
	}
	for _, tt := range []struct{ name, body, want string }{
		{"empty.yaml", "- name: Qatar\n- name: ''\n", "target 2: empty name"},
		{"dup.yaml", "- name: Qatar\n- name: qatar\n", `target 2 ("qatar"): same name as target 1`},
		{"unknown.yaml", "- name: Qatar\n  alias: [Doha]\n", "alias"},
		{"syntax.yaml", "- name: Qatar\n  aliases: [Doha\n", "targets"},
		{"none.yaml", "[]\n", "no targets"},
		{"blank-alias.yaml", "- name: Qatar\n  aliases: ['--']\n", "has no word"},
	} {
		_, err := LoadTargets(write(tt.name, tt.body))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.name) {
			t.Errorf("%s: error %v, want one naming the file and %q", tt.name, err, tt.want)
		}
	}
	if _, err := LoadTargets(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("missing file: no error")
	}
}
