package datasets

import "testing"

// ValidateReleaseForTest validates a release folder and fails t on any finding. The
// internal tests cannot import validate (it imports datasets), so the external test
// package sets it (validclean_ext_test.go); both are compiled into one test binary.
var ValidateReleaseForTest func(t testing.TB, dir string)

// mustValidate checks that a release the tests wrote validates clean (issue 12): every
// release the writer makes must pass newsds validate.
func mustValidate(t testing.TB, dir string) {
	t.Helper()
	if ValidateReleaseForTest == nil {
		t.Fatal("ValidateReleaseForTest is not set: validclean_ext_test.go is missing from the test build")
	}
	ValidateReleaseForTest(t, dir)
}
