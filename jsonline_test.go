package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/briefbot/briefbot/briefing"
)

// appendClaimLine writes what a json.Encoder without HTML escaping writes
// for claimLine, byte for byte, whatever the strings hold.
func TestClaimLineAsEncodingJSON(t *testing.T) {
	strs := []string{"", "plain", `"quoted" \back\slash`, "tab\tnew\nline\rcr\bbs\fff", "\x00\x01\x1f\x7f del",
		"<html> & </html>", "“curly” ‘single’ — é 東京 😀", "bad \xff\xfe utf8 \xc3", "\u2028 line \u2029 para", "\xe2\x80\xa8"}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", " ", "\"", "\\", "\n", "\x00", "\x1f", "\x7f", "<", "&", "é", "\u2028", "\u2029", "\xff", "\xe2\x80", "😀", "\xf0\x9f"}
	for range 2000 {
		var b []byte
		for range r.IntN(12) {
			b = append(b, alphabet[r.IntN(len(alphabet))]...)
		}
		strs = append(strs, string(b))
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	for i, s := range strs {
		c := briefing.Claim{Text: s, Speaker: strs[(i+1)%len(strs)], SpeakerRole: s, Kind: briefing.Kind(s), Verb: s, Via: s,
			Anonymous: i%2 == 0, SpeakerUnsure: i%3 == 0, Verbatim: i%5 == 0, Start: i * 7, End: -i, Sentence: i}
		want.Reset()
		if err := enc.Encode(claimLine{Article: s, Claim: c}); err != nil {
			t.Fatal(err)
		}
		if got := appendClaimLine(nil, s, &c); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%q:\ngot  %s\nwant %s", s, got, want.Bytes())
		}
	}
}

func TestBriefLineAsEncodingJSON(t *testing.T) {
	strs := []string{"", "plain", `"quoted" \back\slash`, "tab\tnew\nline", "<html> & </html>", "“curly” — é 東京 😀",
		"bad \xff\xfe utf8 \xc3", "\u2028 line \u2029 para"}
	r := rand.New(rand.NewPCG(3, 4))
	pick := func() string { return strs[r.IntN(len(strs))] }
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	for i := range 500 {
		l := briefLine{Article: pick(), ID: pick(), Headline: pick(), Gist: pick(), Source: pick(), URL: pick(), Published: pick()}
		if i%7 != 0 {
			l.Bullets = []briefing.Bullet{}
		}
		for k := range r.IntN(4) {
			l.Bullets = append(l.Bullets, briefing.Bullet{
				Claim: briefing.Claim{Text: pick(), Speaker: pick(), SpeakerRole: pick(), Kind: briefing.Kind(pick()), Verb: pick(), Via: pick(),
					Anonymous: k%2 == 0, SpeakerUnsure: i%3 == 0, Verbatim: i%2 == 1, Start: i*k - 3, End: i + k, Sentence: k},
				Line: pick(), Attribution: pick(), Shown: pick(), Index: k})
		}
		want.Reset()
		if err := enc.Encode(l); err != nil {
			t.Fatal(err)
		}
		if got := appendBriefLine(nil, &l); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("got  %s\nwant %s", got, want.Bytes())
		}
	}
}
