package imageopt

import (
	"path"
	"strings"
)

// matchPattern reports whether the slash-separated path rel (relative to a
// tree's root) matches a pattern, as .gitignore patterns do: a pattern
// without a slash matches the name at any depth ("*.png", "thumbs");
// one with a slash matches from the root ("static/img/*.jpg"); "**" as a
// whole segment matches any number of folders ("blog/**/raw"). A pattern
// that names a folder matches everything inside it. Matching is that of
// path.Match, case-sensitive.
func matchPattern(pattern, rel string) bool {
	pattern = strings.TrimPrefix(strings.TrimSuffix(pattern, "/"), "./")
	if pattern == "" {
		return false
	}
	segs := strings.Split(rel, "/")
	if !strings.Contains(pattern, "/") {
		for _, s := range segs {
			if ok, _ := path.Match(pattern, s); ok {
				return true
			}
		}
		return false
	}
	pats := strings.Split(strings.TrimPrefix(pattern, "/"), "/")
	// A match of a prefix of the path is a match of a folder.
	for n := 1; n <= len(segs); n++ {
		if matchSegments(pats, segs[:n]) {
			return true
		}
	}
	return false
}

// matchSegments matches path segments against pattern segments, with "**"
// matching zero or more segments.
func matchSegments(pats, segs []string) bool {
	for len(pats) > 0 {
		if pats[0] == "**" {
			for i := 0; i <= len(segs); i++ {
				if matchSegments(pats[1:], segs[i:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, _ := path.Match(pats[0], segs[0]); !ok {
			return false
		}
		pats, segs = pats[1:], segs[1:]
	}
	return len(segs) == 0
}

// validPattern reports whether a pattern is well-formed.
func validPattern(pattern string) bool {
	for _, s := range strings.Split(pattern, "/") {
		if _, err := path.Match(s, ""); err != nil {
			return false
		}
	}
	return true
}
