package gazetteer

// Normalize exposes the loader's name folding to the external tests.
var Normalize = normalize
