package datasets_test

import (
	"context"
	"testing"

	"github.com/newsds/newsds/datasets"
	"github.com/newsds/newsds/validate"
)

func init() {
	datasets.ValidateReleaseForTest = func(t testing.TB, dir string) {
		t.Helper()
		rep, err := validate.Validate(context.Background(), validate.Target{Kind: validate.KindRelease, Path: dir}, validate.Options{})
		if err != nil {
			t.Fatalf("validate %s: %v", dir, err)
		}
		for _, f := range rep.Findings {
			if f.Severity != validate.SeverityInfo {
				t.Errorf("validate %s: %s %s: %s: %s", dir, f.Severity, f.Rule, f.Location, f.Message)
			}
		}
	}
}
