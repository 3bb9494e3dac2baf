package imageopt

import "testing"

func TestMatchPattern(t *testing.T) {
	match := func(pattern, rel string) {
		t.Helper()
		if !matchPattern(pattern, rel) {
			t.Errorf("%q does not match %q", pattern, rel)
		}
	}
	no := func(pattern, rel string) {
		t.Helper()
		if matchPattern(pattern, rel) {
			t.Errorf("%q matches %q", pattern, rel)
		}
	}
	match("*.png", "a.png")
	match("*.png", "img/deep/a.png")       // no slash: any depth
	match("raw", "img/raw/a.png")          // a folder name, anywhere
	match("img", "img/a.png")              // a folder matches what is inside
	match("img/*.jpg", "img/a.jpg")        // a slash: from the root
	match("/img/*.jpg", "img/a.jpg")       // a leading slash changes nothing
	match("./img/*.jpg", "img/a.jpg")      // nor does ./
	match("img/**/a.png", "img/a.png")     // ** is zero folders
	match("img/**/a.png", "img/x/y/a.png") // or more
	match("**/thumbs", "a/b/thumbs/c.png") // a folder at any depth
	match("img/", "img/a.png")             // a trailing slash
	match("i?g/[ab].png", "img/b.png")     // path.Match syntax
	no("*.png", "a.jpg")
	no("img/*.jpg", "x/img/a.jpg")    // anchored at the root
	no("img/*.jpg", "img/deep/a.jpg") // * stays within a folder
	no("raw", "rawhide/a.png")        // whole names only
	no("", "a.png")
	no("*.PNG", "a.png") // case-sensitive
	if validPattern("[z") || !validPattern("img/**/*.png") {
		t.Error("validPattern")
	}
}
