package corpus

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	doha := time.FixedZone("+03", 3*3600)
	qatar, err := time.LoadLocation("Asia/Qatar")
	if err != nil {
		t.Fatal(err)
	}
	crawl := time.Date(2022, 3, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in    string
		loc   *time.Location
		upper time.Time
		want  string // RFC 3339; "" = must fail
	}{
		// The seed's notation: Arabic month, ص = AM, no offset -> Location.
		{"12 يناير 2022 , 07:00ص", qatar, time.Time{}, "2022-01-12T07:00:00+03:00"},
		{"12 يناير 2022 , 07:00م", qatar, time.Time{}, "2022-01-12T19:00:00+03:00"},
		{"12 يناير 2022 , 12:30ص", qatar, time.Time{}, "2022-01-12T00:30:00+03:00"},
		// Arabic-Indic and Persian digits, Arabic comma.
		{"١٢ يناير ٢٠٢٢، ٠٧:٠٠ م", doha, time.Time{}, "2022-01-12T19:00:00+03:00"},
		{"۱۲ ژانویه ۲۰۲۲", doha, time.Time{}, ""},
		{"۵ أبريل ۲۰۲۱", doha, time.Time{}, "2021-04-05T00:00:00+03:00"},
		// A region's zone is its offset on that day: daylight saving in May, not in January.
		{"Published 3:45 p.m. ET May 14, 2024", time.UTC, time.Time{}, "2024-05-14T15:45:00-04:00"},
		{"January 14, 2024 9:15 PM PT", time.UTC, time.Time{}, "2024-01-14T21:15:00-08:00"},
		// Gregorian spellings with hamza variants and Egyptian forms.
		{"3 ابريل 2021", time.UTC, time.Time{}, "2021-04-03T00:00:00Z"},
		{"الخميس 1 يوليه 2021 - 10:15 صباحا", doha, time.Time{}, "2021-07-01T10:15:00+03:00"},
		{"20 أغسطس 2020 05:45 مساءً", doha, time.Time{}, "2020-08-20T17:45:00+03:00"},
		// Levantine month names, one- and two-word.
		{"12 كانون الثاني 2022", doha, time.Time{}, "2022-01-12T00:00:00+03:00"},
		{"الجمعة 5 تشرين الأول 2018 09:00", doha, time.Time{}, "2018-10-05T09:00:00+03:00"},
		{"28 تشرين الثاني 2019", doha, time.Time{}, "2019-11-28T00:00:00+03:00"},
		{"1 كانون الأول 2019", doha, time.Time{}, "2019-12-01T00:00:00+03:00"},
		{"14 شباط 2020", doha, time.Time{}, "2020-02-14T00:00:00+03:00"},
		{"7 آذار 2020", doha, time.Time{}, "2020-03-07T00:00:00+03:00"},
		{"9 آب 2020", doha, time.Time{}, "2020-08-09T00:00:00+03:00"},
		{"2 أيلول 2020", doha, time.Time{}, "2020-09-02T00:00:00+03:00"},
		{"12 كانون الثاني/يناير 2022", doha, time.Time{}, "2022-01-12T00:00:00+03:00"},
		// English.
		{"March 3, 2021 9:15 PM", time.UTC, time.Time{}, "2021-03-03T21:15:00Z"},
		{"Published: Wednesday, 3rd March 2021, 9:15 a.m.", time.UTC, time.Time{}, "2021-03-03T09:15:00Z"},
		{"Sep 30, 2019 at 11:02 am EDT", time.UTC, time.Time{}, "2019-09-30T11:02:00-04:00"},
		{"12 Jan 2022 07:00 GMT+3", time.UTC, time.Time{}, "2022-01-12T07:00:00+03:00"},
		// ISO forms: an explicit offset wins over Location.
		{"2022-01-12T07:00:00+03:00", time.UTC, time.Time{}, "2022-01-12T07:00:00+03:00"},
		{"2021-11-01T10:52:50+0100", time.UTC, time.Time{}, "2021-11-01T10:52:50+01:00"},
		{"2022-01-12T07:00:00", qatar, time.Time{}, "2022-01-12T07:00:00+03:00"},
		{"2017-11-03 03:01:00.000000", time.UTC, time.Time{}, "2017-11-03T03:01:00Z"},
		{"2022-01-12", qatar, time.Time{}, "2022-01-12T00:00:00+03:00"},
		// Numeric day-first, month-first only when forced.
		{"12/01/2022", time.UTC, time.Time{}, "2022-01-12T00:00:00Z"},
		{"01/25/2022", time.UTC, time.Time{}, "2022-01-25T00:00:00Z"},
		{"03/04/2022", time.UTC, time.Date(2022, 3, 10, 0, 0, 0, 0, time.UTC), "2022-03-04T00:00:00Z"},
		{"04/03/2022", time.UTC, time.Date(2022, 3, 10, 0, 0, 0, 0, time.UTC), "2022-03-04T00:00:00Z"},
		// Relative and yearless dates need the crawl time; never the clock.
		{"منذ 3 ساعات", time.UTC, crawl, "2022-03-10T09:00:00Z"},
		{"منذ ساعتين", time.UTC, crawl, "2022-03-10T10:00:00Z"},
		{"2 days ago", time.UTC, crawl, "2022-03-08T12:00:00Z"},
		{"أمس", time.UTC, crawl, "2022-03-09T12:00:00Z"},
		{"منذ 3 ساعات", time.UTC, time.Time{}, ""},
		{"12 يناير", doha, crawl, "2022-01-12T00:00:00+03:00"},
		{"12 ديسمبر", doha, crawl, "2021-12-12T00:00:00+03:00"},
		{"12 يناير", doha, time.Time{}, ""},
		// Both calendars: the Gregorian date, whichever comes first; a Hijri date alone is
		// not converted.
		{"الأحد 12 ربيع الأول 1446هـ الموافق 15 سبتمبر 2024م", doha, time.Time{}, "2024-09-15T00:00:00+03:00"},
		{"15 سبتمبر 2024م الموافق 12 ربيع الأول 1446هـ", doha, time.Time{}, "2024-09-15T00:00:00+03:00"},
		{"١٢/٣/١٤٤٦هـ - 15/09/2024م 10:30 ص", doha, time.Time{}, "2024-09-15T10:30:00+03:00"},
		{"الخميس 5 رمضان 1445 هجري | 14 مارس 2024", doha, time.Time{}, "2024-03-14T00:00:00+03:00"},
		{"23 رمضان 1445", doha, time.Time{}, ""},
		{"23/9/1445هـ", doha, time.Time{}, ""},
		// Not dates.
		{"", time.UTC, time.Time{}, ""},
		{"2263", time.UTC, time.Time{}, ""},
		{"السفير الكازاخي لـ الشرق: نقدر دعم قطر", time.UTC, time.Time{}, ""},
		{"31 فبراير 2022", time.UTC, time.Time{}, ""},
		{"07:00 مكة", time.UTC, time.Time{}, ""},
	}
	for _, tt := range tests {
		got, ok := ParseDate(tt.in, tt.loc, tt.upper)
		switch {
		case tt.want == "" && ok:
			t.Errorf("ParseDate(%q) = %s, want failure", tt.in, got.Format(time.RFC3339))
		case tt.want != "" && !ok:
			t.Errorf("ParseDate(%q) failed, want %s", tt.in, tt.want)
		case tt.want != "" && got.Format(time.RFC3339) != tt.want:
			t.Errorf("ParseDate(%q) = %s, want %s", tt.in, got.Format(time.RFC3339), tt.want)
		}
	}
}
