package byline

import "strings"

// Arabic bylines carry a dateline beside the writer's name ("الرياض - نورة القحطاني",
// "فيصل الدوسري - مكة المكرمة"). A one-word part beside a name of two words reads as the
// place without a list, but a place of two words ("مكة المكرمة", "خميس مشيط") has the
// shape of a name, and a one-word place after a name looks like the outlet ("- سبق"): the
// places datelines name most are listed, the cities of the Arab world first.
var arPlaces = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range []string{
		// Saudi Arabia: regions and cities.
		"الرياض", "جدة", "مكة", "مكة المكرمة", "المدينة المنورة", "الدمام", "الخبر", "الظهران",
		"الأحساء", "الهفوف", "القطيف", "الجبيل", "الطائف", "أبها", "خميس مشيط", "جازان", "جيزان", "نجران",
		"تبوك", "حائل", "بريدة", "عنيزة", "القصيم", "الباحة", "عرعر", "سكاكا", "الجوف", "حفر الباطن", "ينبع",
		"رابغ", "القنفذة", "الخرج", "المجمعة", "الدوادمي", "بيشة", "الليث", "صبيا", "عسير", "الشرقية",
		"المنطقة الشرقية", "الحدود الشمالية", "وادي الدواسر", "الزلفي", "شقراء", "القريات", "الوجه", "أملج",
		"العلا", "الدرعية", "النماص", "محايل عسير", "رفحاء", "طريف", "الخفجي", "رأس تنورة", "بقيق",
		// The Gulf, Yemen and Iraq.
		"الدوحة", "دبي", "أبوظبي", "أبو ظبي", "الشارقة", "عجمان", "رأس الخيمة", "الفجيرة", "أم القيوين", "العين",
		"الكويت", "المنامة", "مسقط", "صلالة", "صنعاء", "عدن", "تعز", "المكلا", "مأرب", "الحديدة", "بغداد",
		"البصرة", "أربيل", "الموصل", "النجف", "كربلاء",
		// The Levant, Egypt, Sudan and the Maghreb.
		"بيروت", "طرابلس", "صيدا", "دمشق", "حلب", "حمص", "عمان", "عمّان", "القدس", "رام الله", "غزة", "نابلس",
		"الخليل", "القاهرة", "الإسكندرية", "الجيزة", "شرم الشيخ", "الأقصر", "أسوان", "الخرطوم", "أم درمان",
		"بنغازي", "تونس", "صفاقس", "الجزائر", "وهران", "الرباط", "الدار البيضاء", "مراكش", "طنجة", "فاس",
		"نواكشوط", "جيبوتي", "مقديشو",
		// Capitals and cities elsewhere that Arabic papers report from.
		"لندن", "باريس", "واشنطن", "نيويورك", "موسكو", "بكين", "طهران", "أنقرة", "إسطنبول", "اسطنبول", "برلين",
		"جنيف", "بروكسل", "روما", "مدريد", "فيينا", "طوكيو", "نيودلهي", "إسلام آباد", "كابل", "كراتشي",
		"لاهور", "جاكرتا", "كوالالمبور", "أستانا", "نور سلطان", "ميونخ", "لوس أنجليس", "تورنتو", "سيدني",
	} {
		m[fold(p)] = true
	}
	return m
}()

// IsPlace reports whether s is a place a dateline names (see arPlaces), compared with
// Arabic spelling variants folded.
func IsPlace(s string) bool {
	return arPlaces[fold(s)]
}

// exclusiveMarks are the words a byline sets beside the outlet to say the story is its
// own ("المواطن - خاص", "Exclusive"): no one's name.
var exclusiveMarks = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"خاص", "خاص بـ", "حصري", "حصريا", "حصرياً", "exclusive", "exklusiv", "exclusif", "exclusivo"} {
		m[fold(strings.ToLower(w))] = true
	}
	return m
}()

// IsExclusiveMark reports whether s is a word that marks a story as the outlet's own.
func IsExclusiveMark(s string) bool {
	return exclusiveMarks[fold(strings.ToLower(strings.TrimSpace(s)))]
}

// deskCredits are bylines that credit the newsroom, not a person ("Staff Reporter",
// "مراسلنا"): under an interview they name no one who asked.
var deskCredits = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		"staff", "staff reporter", "staff reporters", "staff writer", "staff writers", "staff report",
		"our correspondent", "our reporter", "our staff", "web desk", "news desk", "online desk", "digital desk",
		"editorial staff", "editorial team", "editorial board", "newsroom", "the newsroom",
		"مراسلنا", "محررنا", "فريق التحرير", "قسم التحرير", "هيئة التحرير", "أسرة التحرير", "المحرر",
	} {
		m[fold(w)] = true
	}
	return m
}()

// IsDeskCredit reports whether s credits the newsroom rather than a person.
func IsDeskCredit(s string) bool {
	return deskCredits[fold(strings.ToLower(strings.TrimSpace(s)))]
}
