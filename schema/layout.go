package schema

// ReleaseManifest is the name of the manifest at the top of a release folder: what
// makes a folder a newsds release, for the release writer and reader (datasets), for
// validate, and for ingest, which does not read a release it meets in a folder it walks
// as articles.
const ReleaseManifest = "newsds-release.json"
