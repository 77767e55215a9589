package ingest

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"github.com/faultline-osint/faultline"
	"github.com/go-shiori/dom"
	"golang.org/x/net/html"
)

// readHTML extracts the main content of a web page with readability (the
// algorithm of Firefox Reader View): navigation, menus, share buttons,
// footers and image credits are scored out, the article stays. The text is
// rendered with block elements (paragraphs, headings, list items) on lines
// of their own. Title, byline and published date come from readability's
// metadata (<title>, Open Graph, JSON-LD, article:published_time); the URL
// from <link rel="canonical"> or og:url.
func readHTML(name string, data []byte) (faultline.Document, error) {
	// dom.Parse detects the page's charset, as readability itself would.
	root, err := dom.Parse(bytes.NewReader(data))
	if err != nil {
		return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: cannot parse HTML: %w", name, err)
	}
	pageURL := canonicalURL(root)
	var base *url.URL
	if pageURL != "" {
		base, _ = url.Parse(pageURL)
	}
	parser := readability.NewParser()
	// Readability falls back to the whole body when it finds no article,
	// so a page of links alone would come out as its menu. CheckDocument
	// (Reader View's "is this readable?") looks for paragraphs of some
	// length; a page without one and with little text is chrome only.
	readable := parser.CheckDocument(root)
	article, err := parser.ParseAndMutate(root, base)
	if err != nil {
		return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: no readable content: %w", name, err)
	}
	if article.Node == nil {
		return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: no readable content", name)
	}
	dropCredits(article.Node)
	var b strings.Builder
	if err := article.RenderText(&b); err != nil {
		return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: no readable content: %w", name, err)
	}
	text := cleanExtracted(b.String())
	if strings.TrimSpace(text) == "" {
		return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: no readable content", name)
	}
	if !readable && utf8.RuneCountInString(text) < minUnreadableText {
		return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: no readable content (only navigation or boilerplate)", name)
	}
	doc := faultline.Document{
		Text:   text,
		Title:  clipTitle(cleanExtracted(article.Title())),
		Author: strings.TrimSpace(cleanExtracted(article.Byline())),
		URL:    pageURL,
	}
	if doc.Title == "" {
		doc.Title = firstLine(text)
	}
	if t, err := article.PublishedTime(); err == nil {
		doc.Published = isoTime(t)
	}
	return doc, nil
}

// minUnreadableText is the least text, in runes, kept from a page that
// readability does not judge readable.
const minUnreadableText = 250

// creditPattern matches the class or id of elements that carry image
// credits, copyright lines and share widgets that readability can leave in
// the article body.
var creditPattern = regexp.MustCompile(`(?i)credit|copyright|share|social|caption`)

// dropCredits removes figure captions and credit-like elements from the
// article readability chose. Captions are not the author's running prose,
// and their photographer and agency names would turn into entities and
// claims that no sentence of the article supports.
func dropCredits(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && (c.Data == "figcaption" ||
			creditPattern.MatchString(attr(c, "class")) || creditPattern.MatchString(attr(c, "id"))) &&
			textLen(c) < 400 { // a long block is content whatever its class says
			n.RemoveChild(c)
		} else {
			dropCredits(c)
		}
		c = next
	}
}

// isoTime formats a timestamp as ISO 8601 with the precision it appears to
// have: a bare date when the clock reads midnight UTC (pages mostly give a
// date alone), else date and time.
func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	u := t.UTC()
	if u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0 {
		return u.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}

// canonicalURL returns the page's own address from <link rel="canonical">
// or <meta property="og:url">, when it is an absolute http(s) URL.
func canonicalURL(root *html.Node) string {
	var canon, og string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if canon != "" {
			return
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "link":
				if strings.EqualFold(attr(n, "rel"), "canonical") {
					canon = attr(n, "href")
				}
			case "meta":
				if og == "" && strings.EqualFold(attr(n, "property"), "og:url") {
					og = attr(n, "content")
				}
			case "body":
				return // metadata lives in the head
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	for _, s := range []string{canon, og} {
		s = strings.TrimSpace(s)
		if u, err := url.Parse(s); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return strings.ToValidUTF8(s, "")
		}
	}
	return ""
}

func textLen(n *html.Node) int {
	if n.Type == html.TextNode {
		return len(n.Data)
	}
	l := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		l += textLen(c)
	}
	return l
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
