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
	dst = append(dst, `,"text":`...)
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
	return append(dst, "}\n"...)
}

// appendJSONString appends s as a JSON string as encoding/json writes it
// with HTML escaping off: quotation marks, backslashes and control
// characters escaped, an invalid byte as \ufffd, U+2028 and U+2029 escaped.
func appendJSONString(dst []byte, s string) []byte {
	if !utf8.ValidString(s) {
		return appendJSONStringDecoding(dst, s)
	}
	// Valid UTF-8: only the bytes jsonSpecial marks need a look, and of
	// the runes past ASCII only U+2028 and U+2029 (E2 80 A8, E2 80 A9).
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !jsonSpecial[b] {
			continue
		}
		if b == 0xE2 {
			if s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9) { // a lead byte of valid UTF-8: two more follow
				dst = append(dst, s[start:i]...)
				dst = append(dst, '\\', 'u', '2', '0', '2', hex[s[i+2]&0xF])
				i += 2
				start = i + 1
			}
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
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// jsonSpecial marks the bytes appendJSONString looks at in valid UTF-8:
// control characters, the quotation mark, the backslash, and 0xE2, which
// starts U+2028 and U+2029.
var jsonSpecial = func() (t [256]bool) {
	for b := range 0x20 {
		t[b] = true
	}
	t['"'], t['\\'], t[0xE2] = true, true, true
	return t
}()

// appendJSONStringDecoding is appendJSONString for any bytes, decoding
// the runes past ASCII.
func appendJSONStringDecoding(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
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
