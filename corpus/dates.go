package corpus

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/newsds/newsds/internal/textfold"
)

// isoLayouts are tried first; they carry an explicit offset.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 -0700",
}

// localLayouts have no offset: the caller's Location applies.
var localLayouts = []string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
}

// monthNames maps normalised month words (see normDateWord) to month numbers: English,
// Egyptian/Gulf Gregorian transliterations, Maghreb forms, and the one-word Levantine names.
// The two-word Levantine names (كانون الثاني ...) are matched as word pairs in levantinePairs.
var monthNames = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
	"december": 12, "dec": 12,
	"يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "ابريل،": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
	"يوليو": 7, "يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
	"جانفي": 1, "فيفري": 2, "افريل": 4, "ماي": 5, "جوان": 6, "جويليه": 7, "جويلية": 7, "اوت": 8,
	"شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7, "اب": 8, "ايلول": 9,
}

// levantinePairs are the two-word Levantine month names, keyed "first second".
var levantinePairs = map[string]time.Month{
	"كانون الثاني": 1, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,
}

// noiseWords may surround a date without making the string something else.
var noiseWords = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true, "mon": true, "tue": true, "wed": true, "thu": true,
	"fri": true, "sat": true, "sun": true, "at": true, "on": true, "of": true, "the": true,
	"published": true, "updated": true, "posted": true, "date": true, "last": true, "time": true,
	"الاحد": true, "الاثنين": true, "الثلاثاء": true, "الاربعاء": true, "الخميس": true,
	"الجمعة": true, "الجمعه": true, "السبت": true, "الساعة": true, "الساعه": true, "في": true,
	"نشر": true, "بتاريخ": true, "تاريخ": true, "النشر": true, "اخر": true, "تحديث": true,
	"الموافق": true, "م": true, "st": true, "nd": true, "rd": true, "th": true,
}

var (
	// clockRe matches a clock time with an optional meridiem (ص = AM, م = PM).
	clockRe = regexp.MustCompile(`(?i)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*(صباحا|صباحًا|صباح|مساءً|مساء|ص|م|a\.?m\.?|p\.?m\.?)(\pL*))?`)
	// zoneRe matches an offset or zone name right after the clock time.
	zoneRe = regexp.MustCompile(`(?i)^\s*\(?\s*(?:(z|utc|gmt|est|edt|cst|cdt|mst|mdt|pst|pdt|bst|cet|cest|eet|eest|et|ct|mt|pt)\b\s*)?(?:([+-])(\d{1,2})(?::?(\d{2}))?)?`)
	// relativeRe matches "3 hours ago", "منذ 3 ساعات" and the like.
	relativeRe = regexp.MustCompile(`(?i)(?:منذ\s*(\d+)?\s*(دقيقة|دقيقتين|دقائق|ساعة|ساعتين|ساعات|يوم|يومين|ايام|أيام|اسبوع|أسبوع|اسابيع|أسابيع))|(?:(\d+)\s*(minute|min|hour|hr|day|week)s?\s+ago)`)
	digitRe    = regexp.MustCompile(`^\d+$`)
	// hijriDateRe finds a Hijri month name or a year marked "هـ" (after normDigits).
	hijriDateRe = regexp.MustCompile(`(?:^|[^\p{L}])(?:محرم|صفر|ربيع|جمادى|جمادي|رجب|شعبان|رمضان|شوال|ذو القعدة|ذو الحجة|ذي القعدة|ذي الحجة)(?:[^\p{L}]|$)|\d\s*(?:هـ?|هجري|هجرية)(?:[^\p{L}\x{0640}]|$)`)
	// dualDateSepRe splits the two calendars' dates of a line; not at "/" or a bare "-",
	// which numeric dates use.
	dualDateSepRe = regexp.MustCompile(`\s*(?:الموافق(?:\s+لـ?)?|[|،,()–—]|\s-\s)\s*`)
	ordinalRe     = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)$`)
)

var namedZones = map[string]int{
	"z": 0, "utc": 0, "gmt": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
	"pst": -8, "pdt": -7, "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3,
}

// regionZones are the zone names that say a region, not an offset: "3:45 p.m. ET" is
// Eastern time on that day, daylight saving or not.
var regionZones = map[string]string{
	"et": "America/New_York", "ct": "America/Chicago", "mt": "America/Denver", "pt": "America/Los_Angeles",
}

// unixTime reads a Unix timestamp, in seconds or, from 12 digits on, milliseconds
// ("1709631000", "1709631000123", "1709631000.5"), as a UTC time; only times between 1990
// and 2100 count, so that a count or an id is no date.
func unixTime(s string) (time.Time, bool) {
	whole, frac, _ := strings.Cut(strings.TrimSpace(s), ".")
	if len(whole) < 9 || len(whole) > 13 || strings.ContainsFunc(whole+frac, func(r rune) bool { return r < '0' || r > '9' }) {
		return time.Time{}, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return time.Time{}, false
	}
	if len(whole) >= 12 {
		f /= 1000
	}
	t := time.Unix(0, int64(math.Round(f*1e3))*int64(time.Millisecond)).UTC()
	if t.Year() < 1990 || t.Year() > 2100 {
		return time.Time{}, false
	}
	return t, true
}

// ParseDate reads a publication date written in English or Arabic: ISO 8601/RFC 3339
// forms, "12 يناير 2022 , 07:00ص", "كانون الثاني 12، 2022", "March 3, 2021 9:15 PM",
// numeric day/month/year, with Arabic-Indic (٠-٩) or Persian (۰-۹) digits. A string
// without an offset is read in loc (UTC when nil). upper is the latest possible time (the
// crawl date): it resolves relative dates ("منذ 3 ساعات", "yesterday"), gives yearless
// dates a year (the last one not after upper) and decides ambiguous day/month order. When
// upper is zero, relative and yearless dates are rejected rather than guessed from the
// clock, so the result never depends on the day it runs.
func ParseDate(s string, loc *time.Location, upper time.Time) (time.Time, bool) {
	t, _, ok := parseDate(s, loc, upper)
	return t, ok
}

// parseDate is ParseDate that also counts the words it read past as no part of a date.
func parseDate(s string, loc *time.Location, upper time.Time) (time.Time, int, bool) {
	if loc == nil {
		loc = time.UTC
	}
	s = normDigits(strings.TrimSpace(s))
	if s == "" || len(s) > 200 {
		return time.Time{}, 0, false
	}
	for _, l := range isoLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, 0, true
		}
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, 0, true
		}
	}
	return parseLooseDate(s, loc, upper)
}

// isDateOnly reports whether s is a date and nothing more: ParseDate reads it with at
// most one word that is no part of a date ("Founded February 28, 1998"), where it
// tolerates two ("The council met on 24 July 2015" is a sentence). The Hijri side of a
// line dated by both calendars is part of the date.
func isDateOnly(s string) bool {
	_, unknown, ok := parseDate(s, time.UTC, time.Time{})
	return ok && unknown <= 1
}

// normDigits maps Arabic-Indic and Persian digits and Arabic punctuation to ASCII.
func normDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case textfold.Digit(r) != r: // Arabic-Indic and Persian digits
			return textfold.Digit(r)
		case r == '،' || r == '٫' || r == '٬':
			return ','
		case r == '\u00a0' || r == '\u200f' || r == '\u200e':
			return ' '
		case r == 'ـ':
			return -1
		}
		return r
	}, s)
}

// normDateWord folds case and the Arabic letter variants that spellings of month and
// weekday names differ in (hamza forms of alef, final ta marbuta/ha).
func normDateWord(w string) string {
	w = strings.ToLower(w)
	return strings.Map(func(r rune) rune {
		switch r {
		case 'أ', 'إ', 'آ', 'ٱ':
			return 'ا'
		case 'ى':
			return 'ي'
		case '\u064b', '\u064c', '\u064d', '\u064e', '\u064f', '\u0650', '\u0651', '\u0652':
			return -1
		}
		return r
	}, w)
}

func parseLooseDate(s string, loc *time.Location, upper time.Time) (time.Time, int, bool) {
	if t, ok := parseRelative(s, upper); ok {
		return t, 0, true
	}
	// Saudi papers date by both calendars ("الأحد 12 ربيع الأول 1446هـ الموافق 15 سبتمبر
	// 2024م", either first): the Gregorian side is the date. A Hijri date alone is not
	// read: the Umm al-Qura calendar is set by sighting, and arithmetic is a day or two off.
	if hijriDateRe.MatchString(s) {
		for _, part := range dualDateSepRe.Split(s, -1) {
			if !hijriDateRe.MatchString(part) {
				if t, unknown, ok := parseLooseDate(part, loc, upper); ok {
					return t, unknown, true
				}
			}
		}
		return time.Time{}, 0, false
	}
	hour, minute, sec, hasClock := 0, 0, 0, false
	var zone *time.Location
	rest := s
	if m := clockRe.FindStringSubmatchIndex(s); m != nil {
		hour, _ = strconv.Atoi(s[m[2]:m[3]])
		minute, _ = strconv.Atoi(s[m[4]:m[5]])
		if m[6] >= 0 {
			sec, _ = strconv.Atoi(s[m[6]:m[7]])
		}
		end := m[1]
		if m[8] >= 0 && m[10] < m[11] {
			// The "meridiem" starts a longer word (م of مكة): no meridiem after all.
			end = m[8]
		} else if m[8] >= 0 {
			mer := strings.ToLower(strings.ReplaceAll(s[m[8]:m[9]], ".", ""))
			pm := mer == "pm" || strings.HasPrefix(mer, "م")
			if hour > 12 {
				return time.Time{}, 0, false
			}
			if pm && hour < 12 {
				hour += 12
			} else if !pm && hour == 12 {
				hour = 0
			}
		}
		if hour > 23 || minute > 59 || sec > 60 {
			return time.Time{}, 0, false
		}
		hasClock = true
		after := s[end:]
		if z := zoneRe.FindStringSubmatchIndex(after); z != nil && z[1] > 0 {
			zone = zoneFrom(after, z)
			if zone != nil {
				after = after[z[1]:]
			}
		}
		rest = s[:m[0]] + " " + after
	}
	year, month, day, unknown, ok := dateParts(rest, upper)
	if !ok {
		return time.Time{}, 0, false
	}
	if zone == nil {
		zone = loc
	}
	t := time.Date(year, month, day, hour, minute, sec, 0, zone)
	if t.Day() != day || t.Month() != month {
		return time.Time{}, 0, false
	}
	if !hasClock {
		t = time.Date(year, month, day, 0, 0, 0, 0, zone)
	}
	return t, unknown, true
}

// reZoneToken is a zone abbreviation as pages write it after a time ("ET", "IST").
var reZoneToken = regexp.MustCompile(`^\s*\(?[A-Z]{2,5}\b`)

// unknownZone reports whether a clock time in s is followed by a zone abbreviation that
// zoneRe does not know ("3:45 p.m. ET", "05:08 PM IST"): ParseDate places such a time in
// its default zone, hours off, and many such names are ambiguous (IST is India, Israel
// or Ireland).
func unknownZone(s string) bool {
	m := clockRe.FindStringIndex(s)
	if m == nil {
		return false
	}
	rest := s[m[1]:]
	if z := zoneRe.FindStringSubmatchIndex(rest); z != nil && z[1] > 0 && (z[2] >= 0 || z[4] >= 0) {
		return false
	}
	return reZoneToken.MatchString(rest)
}

// zoneFrom turns a zoneRe match into a fixed zone; nil when nothing usable matched.
func zoneFrom(s string, m []int) *time.Location {
	name := ""
	if m[2] >= 0 {
		name = strings.ToLower(s[m[2]:m[3]])
	}
	if m[4] < 0 || m[6] < 0 {
		if name == "" {
			return nil
		}
		if region, ok := regionZones[name]; ok {
			loc, err := time.LoadLocation(region)
			if err != nil {
				return nil // no zone database here: the caller's zone, as for any unknown name
			}
			return loc
		}
		return time.FixedZone(strings.ToUpper(name), namedZones[name]*3600)
	}
	h, _ := strconv.Atoi(s[m[6]:m[7]])
	mins := 0
	if m[8] >= 0 {
		mins, _ = strconv.Atoi(s[m[8]:m[9]])
	}
	if h > 14 || mins > 59 {
		return nil
	}
	off := h*3600 + mins*60
	if s[m[4]:m[5]] == "-" {
		off = -off
	}
	return time.FixedZone("", off+namedZones[name]*3600)
}

// parseRelative resolves "منذ 3 ساعات", "2 days ago", "yesterday"/"أمس" and
// "today"/"اليوم" against upper; without upper it fails.
func parseRelative(s string, upper time.Time) (time.Time, bool) {
	if upper.IsZero() {
		return time.Time{}, false
	}
	w := normDateWord(strings.TrimSpace(s))
	switch w {
	case "yesterday", "امس", "البارحه", "البارحة":
		return upper.AddDate(0, 0, -1), true
	case "today", "just now", "now", "اليوم", "الان":
		return upper, true
	}
	m := relativeRe.FindStringSubmatch(s)
	if m == nil || len(strings.Fields(s)) > 5 {
		return time.Time{}, false
	}
	n := 1
	unit := ""
	if m[2] != "" {
		if m[1] != "" {
			n, _ = strconv.Atoi(m[1])
		}
		unit = normDateWord(m[2])
		if strings.HasSuffix(unit, "تين") {
			n = 2
		}
	} else {
		n, _ = strconv.Atoi(m[3])
		unit = strings.ToLower(m[4])
	}
	var d time.Duration
	switch {
	case unit == "minute" || unit == "min" || strings.HasPrefix(unit, "دقي") || strings.HasPrefix(unit, "دقا"):
		d = time.Minute
	case unit == "hour" || unit == "hr" || strings.HasPrefix(unit, "ساع"):
		d = time.Hour
	case unit == "day" || strings.HasPrefix(unit, "يوم") || unit == "ايام":
		d = 24 * time.Hour
	case unit == "week" || strings.HasPrefix(unit, "اسبوع") || unit == "اسابيع":
		d = 7 * 24 * time.Hour
	default:
		return time.Time{}, false
	}
	return upper.Add(-time.Duration(n) * d), true
}

// dateParts finds year, month and day among the words of s.
func dateParts(s string, upper time.Time) (int, time.Month, int, int, bool) {
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r))
	})
	var nums []int
	var numLens []int
	month := time.Month(0)
	unknown := 0
	for i := 0; i < len(words); i++ {
		w := normDateWord(words[i])
		if i+1 < len(words) {
			if m, ok := levantinePairs[w+" "+normDateWord(words[i+1])]; ok {
				if month == 0 {
					month = m
				}
				i++
				continue
			}
		}
		if m, ok := monthNames[w]; ok {
			if month == 0 {
				month = m
			}
			continue
		}
		if om := ordinalRe.FindStringSubmatch(w); om != nil {
			w = om[1]
		}
		// "2024م": the year marked Gregorian (ميلادي).
		if y, ok := strings.CutSuffix(w, "م"); ok && digitRe.MatchString(y) {
			w = y
		}
		if digitRe.MatchString(w) {
			n, err := strconv.Atoi(w)
			if err != nil {
				return 0, 0, 0, 0, false
			}
			nums = append(nums, n)
			numLens = append(numLens, len(w))
			continue
		}
		if !noiseWords[w] {
			unknown++
		}
	}
	if unknown > 2 || len(nums) == 0 || len(nums) > 3 {
		return 0, 0, 0, 0, false
	}
	if month != 0 {
		y, m, d, ok := namedMonthDate(nums, numLens, month, upper)
		return y, m, d, unknown, ok
	}
	y, m, d, ok := numericDate(nums, numLens, upper)
	return y, m, d, unknown, ok
}

func namedMonthDate(nums, lens []int, month time.Month, upper time.Time) (int, time.Month, int, bool) {
	year, day := 0, 0
	for i, n := range nums {
		switch {
		case lens[i] == 4 && year == 0:
			year = n
		case n >= 1 && n <= 31 && day == 0:
			day = n
		default:
			return 0, 0, 0, false
		}
	}
	if day == 0 {
		return 0, 0, 0, false
	}
	if year == 0 {
		if upper.IsZero() {
			return 0, 0, 0, false
		}
		year = upper.Year()
		if time.Date(year, month, day, 0, 0, 0, 0, upper.Location()).After(upper) {
			year--
		}
	}
	return year, month, day, plausibleYear(year)
}

// numericDate reads Y-M-D, D/M/Y or M/D/Y. Day-first is the default (the order used in the
// Arab world and Europe); month-first is chosen only when the numbers rule day-first out,
// or day-first lands after upper while month-first does not.
func numericDate(nums, lens []int, upper time.Time) (int, time.Month, int, bool) {
	if len(nums) != 3 {
		return 0, 0, 0, false
	}
	if lens[0] == 4 {
		return nums[0], time.Month(nums[1]), nums[2], validYMD(nums[0], nums[1], nums[2])
	}
	if lens[2] != 4 && lens[2] != 2 {
		return 0, 0, 0, false
	}
	year := nums[2]
	if lens[2] == 2 {
		year += 2000
		if !upper.IsZero() && year > upper.Year() {
			year -= 100
		}
	}
	dmy := validYMD(year, nums[1], nums[0])
	mdy := validYMD(year, nums[0], nums[1])
	switch {
	case dmy && mdy && !upper.IsZero() &&
		time.Date(year, time.Month(nums[1]), nums[0], 0, 0, 0, 0, time.UTC).After(upper) &&
		!time.Date(year, time.Month(nums[0]), nums[1], 0, 0, 0, 0, time.UTC).After(upper):
		return year, time.Month(nums[0]), nums[1], true
	case dmy:
		return year, time.Month(nums[1]), nums[0], true
	case mdy:
		return year, time.Month(nums[0]), nums[1], true
	}
	return 0, 0, 0, false
}

func validYMD(y, m, d int) bool {
	if !plausibleYear(y) || m < 1 || m > 12 || d < 1 {
		return false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Day() == d
}

func plausibleYear(y int) bool { return y >= 1900 && y <= 2200 }
