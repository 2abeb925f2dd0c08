package main

import (
	"strconv"
	"unicode/utf8"

	"github.com/briefbot/briefbot/briefing"
)

// appendClaimLine appends the line of `claims --json` for claim c of the
// article: the bytes encoding/json writes for claimLine, with HTML left
// unescaped, and its newline (TestClaimLineAsEncodingJSON), without
// reflection or an allocation per field.
func appendClaimLine(dst []byte, article string, c *briefing.Claim) []byte {
	dst = append(dst, `{"article":`...)
	dst = appendJSONString(dst, article)
	dst = append(dst, ',')
	dst = appendClaimFields(dst, c)
	return append(dst, "}\n"...)
}

// appendClaimFields appends the fields of claim c as encoding/json writes
// them, from "text" to "end", without braces.
func appendClaimFields(dst []byte, c *briefing.Claim) []byte {
	dst = append(dst, `"text":`...)
	dst = appendJSONString(dst, c.Text)
	dst = append(dst, `,"speaker":`...)
	dst = appendJSONString(dst, c.Speaker)
	dst = append(dst, `,"speaker_role":`...)
	dst = appendJSONString(dst, c.SpeakerRole)
	dst = append(dst, `,"kind":`...)
	dst = appendJSONString(dst, string(c.Kind))
	dst = append(dst, `,"verb":`...)
	dst = appendJSONString(dst, c.Verb)
	dst = append(dst, `,"via":`...)
	dst = appendJSONString(dst, c.Via)
	dst = append(dst, `,"anonymous":`...)
	dst = strconv.AppendBool(dst, c.Anonymous)
	dst = append(dst, `,"speaker_unsure":`...)
	dst = strconv.AppendBool(dst, c.SpeakerUnsure)
	dst = append(dst, `,"verbatim":`...)
	dst = strconv.AppendBool(dst, c.Verbatim)
	dst = append(dst, `,"start":`...)
	dst = strconv.AppendInt(dst, int64(c.Start), 10)
	dst = append(dst, `,"end":`...)
	dst = strconv.AppendInt(dst, int64(c.End), 10)
	return dst
}

// appendBriefLine appends the line of `brief --format json` for l: the
// bytes encoding/json writes for briefLine, with HTML left unescaped, and
// its newline (TestBriefLineAsEncodingJSON), without reflection.
func appendBriefLine(dst []byte, l *briefLine) []byte {
	dst = append(dst, `{"article":`...)
	dst = appendJSONString(dst, l.Article)
	dst = append(dst, `,"id":`...)
	dst = appendJSONString(dst, l.ID)
	dst = append(dst, `,"headline":`...)
	dst = appendJSONString(dst, l.Headline)
	dst = append(dst, `,"gist":`...)
	dst = appendJSONString(dst, l.Gist)
	if l.Source != "" {
		dst = append(dst, `,"source":`...)
		dst = appendJSONString(dst, l.Source)
	}
	if l.URL != "" {
		dst = append(dst, `,"url":`...)
		dst = appendJSONString(dst, l.URL)
	}
	if l.Published != "" {
		dst = append(dst, `,"published":`...)
		dst = appendJSONString(dst, l.Published)
	}
	dst = append(dst, `,"bullets":`...)
	if l.Bullets == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i := range l.Bullets {
			if i > 0 {
				dst = append(dst, ',')
			}
			b := &l.Bullets[i]
			// The claim's fields, as appendClaimLine writes them, then the
			// bullet's own.
			dst = appendClaimFields(append(dst, '{'), &b.Claim)
			dst = append(dst, `,"bullet":`...)
			dst = appendJSONString(dst, b.Line)
			dst = append(dst, `,"attribution":`...)
			dst = appendJSONString(dst, b.Attribution)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	return append(dst, "}\n"...)
}

// appendJSONString appends s as a JSON string as encoding/json writes it
// with HTML escaping off: quotation marks, backslashes and control
// characters escaped, an invalid byte as \ufffd, U+2028 and U+2029 escaped.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if !jsonSpecial[b] {
				i++ // most bytes: one look-up
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// jsonSpecial marks the ASCII bytes appendJSONString escapes: control
// characters, the quotation mark and the backslash.
var jsonSpecial = func() (t [utf8.RuneSelf]bool) {
	for b := range 0x20 {
		t[b] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()
