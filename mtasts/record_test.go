package mtasts

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRecord(t *testing.T) {
	good := func(txt, id string, ext ...Extension) {
		t.Helper()
		r, isRec, err := ParseRecord(txt)
		if assert.NoError(t, err, "%q", txt) {
			assert.True(t, isRec)
			assert.Equal(t, id, r.ID)
			assert.Equal(t, Version, r.Version)
			if len(ext) > 0 {
				assert.Equal(t, ext, r.Extensions)
			}
		}
	}
	bad := func(txt string, isRec bool, contains string) {
		t.Helper()
		_, gotIsRec, err := ParseRecord(txt)
		assert.Equal(t, isRec, gotIsRec, "isRecord of %q", txt)
		if isRec && assert.Error(t, err, "%q", txt) {
			assert.ErrorIs(t, err, ErrRecordSyntax)
			assert.Contains(t, err.Error(), contains)
		}
	}
	good("v=STSv1; id=20160831085700Z;", "20160831085700Z") // RFC 8461, Section 3.1
	good("v=STSv1;id=1", "1")
	good("v=STSv1 ; id=abc ;", "abc")  // sts-field-delim = *WSP ";" *WSP (mox agrees)
	good("v=STSv1;\tid=abc;\t", "abc") // trailing delimiter with WSP
	good("v=STSv1; id=a; id=b;", "a")  // first wins, as for policies
	good("v=STSv1; id=a; ext-1=x:y<>; b.c=1", "a", Extension{"ext-1", "x:y<>"}, Extension{"b.c", "1"})
	good("v=STSv1; id=12345678901234567890123456789012;", "12345678901234567890123456789012") // 32
	good("v=STSv1; ext=v; id=x", "x")                                                         // order is free after v

	bad("", false, "")
	bad("v=spf1 -all", false, "")
	bad("v=STSv10; id=1", false, "")    // a different version string
	bad(" v=STSv1; id=1", false, "")    // must begin with v=STSv1
	bad("v=stsv1; id=1", false, "")     // case-sensitive
	bad("v=STSv1", true, "no id")       // id required
	bad("v=STSv1;", true, "no id")      //
	bad("v=STSv1; id=;", true, "empty") // 1*32
	bad("v=STSv1; id=123456789012345678901234567890123", true, "longer than 32")
	bad("v=STSv1; id=2016-08-31", true, "only letters and digits") // no '-' (a common mistake)
	bad("v=STSv1; id=a.b", true, "only letters and digits")
	bad("v=STSv1 id=1", true, "expected ';'")
	bad("v=STSv1; id=1 ", true, "space at the end")
	bad("v=STSv1; id=1; ;", true, "empty field")
	bad("v=STSv1; id=1; x", true, "no '='")
	bad("v=STSv1; id=1; x=", true, "empty value")
	bad("v=STSv1; id=1; _x=1", true, "starting with a letter")
	bad("v=STSv1; id=1; x=a=b", true, "not allowed")
	bad("v=STSv1; id=1; x=caf\xc3\xa9", true, "not allowed")
	bad("v=STSv1;; id=1", true, "empty field")

	// The error says where.
	_, _, err := ParseRecord("v=STSv1; id=bad-id")
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 12, se.Offset)
}

func TestRecordRoundTrip(t *testing.T) {
	for _, txt := range []string{"v=STSv1; id=20160831085700Z;", "v=STSv1;id=x;e=1", "v=STSv1 ; id=abc ; f.g=h"} {
		r, _, err := ParseRecord(txt)
		require.NoError(t, err)
		r2, _, err := ParseRecord(r.String())
		require.NoError(t, err)
		assert.Equal(t, r, r2)
	}
	r := Record{ID: NewID(time.Date(2016, 8, 31, 10, 57, 0, 0, time.FixedZone("CEST", 2*3600)))}
	assert.Equal(t, "v=STSv1; id=20160831085700Z;", r.String())
	assert.Empty(t, r.Validate())
	assert.True(t, (&Record{ID: "a-b"}).Validate().Has("mtasts.record_id_invalid"))
	assert.True(t, (&Record{}).Validate().Has("mtasts.record_id_invalid"))
}

func TestSelectRecord(t *testing.T) {
	r, err := SelectRecord([]string{"v=spf1 -all", "v=STSv1; id=abc;", "hello"})
	require.NoError(t, err)
	assert.Equal(t, "abc", r.ID)

	_, err = SelectRecord(nil)
	assert.ErrorIs(t, err, ErrNoRecord)
	_, err = SelectRecord([]string{"v=spf1 -all"})
	assert.ErrorIs(t, err, ErrNoRecord)
	// RFC 8461, Section 3.1: if the number of records left is not one, the
	// domain has no policy, even when both are identical.
	_, err = SelectRecord([]string{"v=STSv1; id=a;", "v=STSv1; id=a;"})
	assert.ErrorIs(t, err, ErrMultipleRecords)
	// A malformed single record also means no policy.
	_, err = SelectRecord([]string{"v=STSv1; id=a-b;"})
	assert.ErrorIs(t, err, ErrRecordSyntax)
	assert.False(t, errors.Is(err, ErrNoRecord))
}

func TestCheckRecord(t *testing.T) {
	_, l := CheckRecord("v=STSv1; id=a; id=b")
	assert.True(t, l.Has("mtasts.record_duplicate_field"))
	assert.False(t, l.HasErrors())
	_, l = CheckRecord("v=STSv1")
	assert.True(t, l.Has("mtasts.record_id_missing"))
	_, l = CheckRecord("V=STSv1; id=1")
	assert.True(t, l.Has("mtasts.record_not_sts"))
	assert.Contains(t, l[0].Message, "case matters")
}

func TestNames(t *testing.T) {
	assert.Equal(t, "_mta-sts.example.com", RecordName("example.com."))
	assert.Equal(t, "https://mta-sts.example.com/.well-known/mta-sts.txt", PolicyURL("example.com"))
}
