package corpus

// replaceAnnotatorSQL unstages the work of one annotator name (any version or
// parameters) on one document's layer. The staged_anns rows are found by their primary
// key prefix (doc_id, layer) and their names read from those few anns rows by rowid:
// selecting the names from anns by doc_id, as before, scanned anns, which has no such
// index, for every annotation stored (TestHotStatementPlans).
const replaceAnnotatorSQL = `DELETE FROM staged_anns WHERE doc_id = ?1 AND layer = ?2 AND aid IN
	(SELECT sa.aid FROM staged_anns sa JOIN anns a ON a.aid = sa.aid
	 WHERE sa.doc_id = ?1 AND sa.layer = ?2 AND json_extract(a.body, '$.annotator.name') = ?3)`
