package byline

import "testing"

func TestCredits(t *testing.T) {
	for _, tt := range []struct {
		s               string
		exclusive, desk bool
	}{
		{"خاص", true, false},
		{" Exclusive ", true, false},
		{"حصرياً", true, false},
		{"Staff Reporter", false, true},
		{"staff writers", false, true},
		{"مراسلنا", false, true},
		{"خالد الشهري", false, false},
		{"Staff Sergeant Lee", false, false},
	} {
		if got := IsExclusiveMark(tt.s); got != tt.exclusive {
			t.Errorf("IsExclusiveMark(%q) = %v, want %v", tt.s, got, tt.exclusive)
		}
		if got := IsDeskCredit(tt.s); got != tt.desk {
			t.Errorf("IsDeskCredit(%q) = %v, want %v", tt.s, got, tt.desk)
		}
	}
}
