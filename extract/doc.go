// Package extract turns report text into the faultline.extraction/v1 format:
// entities with their mentions (and, in later stages, relations and events).
//
// Extraction is a pure function of the text and the dictionaries: no
// database, no network, safe for concurrent use once an Extractor is built.
// Every mention names the rule that produced it, so the UI can say why.
//
// The pipeline is deterministic and explainable:
//
//  1. boilerplate filter: website chrome (menus, image credits, share and
//     "read more" lines) is skipped line by line;
//  2. sentence segmentation;
//  3. tokenisation into word tokens with byte offsets and case flags;
//  4. candidate mentions from several rules — the actor dictionary and the
//     gazetteer (a token trie, longest match), acronym definitions in the
//     text, people found through titles, roles and appositions, and
//     organisation names found by their head words;
//  5. overlap resolution (longest span, then rule priority);
//  6. in-document aliasing: acronym ↔ full name, surname ↔ full name, a
//     capital city used as the state ("Islamabad denied …");
//  7. grouping of mentions into entities, named by their fullest form.
//
// Two pieces are written by hand rather than taken from a library, for
// measured reasons. Sentence segmentation: neurosnap/sentences runs at about
// 9 MB/s on this machine — half the 5 MB/s budget of the whole extractor —
// and does not split after a sentence that ends in a number ("designated in
// 2019. The minister"); a rule segmenter with an abbreviation list does both
// at a fraction of the cost. Dates: go-dateparser's Search runs at 0.38 MB/s
// and has no rule for "late 2014" or "mid-2019"; finding date expressions in
// running text needs a scanner anyway, and once found, normalising them to
// ISO 8601 at the precision the text gives is a table lookup.
package extract
