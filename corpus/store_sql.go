package corpus

// replaceAnnotatorSQL unstages the work of one annotator name (any version or
// parameters) on one document's layer. The staged_anns key column is
// Annotator.Key(), name + "@" + version + "#" + params, so the rows of a name are the
// key range [name+"@", name+"A") ('A' follows '@'): a search on all three primary key
// columns. The name in the body then drops the few rows of longer names in the range
// ("x@y" for "x"). Reading the name from the body of every annotation on the layer,
// as before, made an import of many annotators' work on one document quadratic
// (issue 14; TestReplaceAnnotatorSearchesWholeKey).
const replaceAnnotatorSQL = `DELETE FROM staged_anns WHERE doc_id = ?1 AND layer = ?2
	AND annotator >= ?3 || '@' AND annotator < ?3 || 'A'
	AND (SELECT json_extract(a.body, '$.annotator.name') FROM anns a WHERE a.aid = staged_anns.aid) = ?3`
