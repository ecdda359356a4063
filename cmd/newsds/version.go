package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// extractorModules are the modules whose versions decide what ingest extracts: a bug
// report about a text or a date needs them, so --version prints them.
var extractorModules = []string{
	"github.com/markusmobius/go-trafilatura",
	"github.com/markusmobius/go-htmldate",
	"github.com/markusmobius/go-dateparser",
	"github.com/markusmobius/go-domdistiller",
	"github.com/go-shiori/go-readability",
	"github.com/PuerkitoBio/goquery",
	"github.com/RadhiFadlillah/whatlanggo",
	"github.com/gogs/chardet",
	"github.com/nlnwa/gowarc/v3",
}

// versionInfo is what the binary knows of its own build (runtime/debug.ReadBuildInfo:
// the module version go install or go build stamped, the VCS commit, the Go version).
type versionInfo struct {
	Version   string            `json:"version"`
	Commit    string            `json:"commit"`
	Modified  bool              `json:"modified"`
	Time      string            `json:"commit_time,omitempty"`
	GoVersion string            `json:"go_version"`
	Modules   map[string]string `json:"extractor_modules"`
}

func buildVersion() versionInfo {
	v := versionInfo{Version: "devel", Commit: "unknown", Modules: map[string]string{}}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	v.GoVersion = bi.GoVersion
	if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Commit = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	for _, d := range bi.Deps {
		for _, m := range extractorModules {
			if d.Path == m {
				ver := d.Version
				if d.Replace != nil {
					ver += " => " + d.Replace.Path + " " + d.Replace.Version
				}
				v.Modules[m] = ver
			}
		}
	}
	return v
}

// short is the one-word version cobra needs to offer --version.
func (v versionInfo) short() string { return v.Version }

// String is the --version text: version, commit, Go version, then one line per
// extractor module.
func (v versionInfo) String() string {
	var b strings.Builder
	commit := v.Commit
	if len(commit) > 12 {
		commit = commit[:12]
	}
	if v.Modified {
		commit += " (modified)"
	}
	fmt.Fprintf(&b, "%s\ncommit %s", v.Version, commit)
	if v.Time != "" {
		fmt.Fprintf(&b, " %s", v.Time)
	}
	fmt.Fprintf(&b, "\n%s\nextractor:\n", v.GoVersion)
	for _, m := range extractorModules {
		if ver, ok := v.Modules[m]; ok {
			fmt.Fprintf(&b, "  %s %s\n", m, ver)
		}
	}
	return b.String()
}
