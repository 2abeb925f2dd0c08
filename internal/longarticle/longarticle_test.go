package longarticle

import (
	"strings"
	"testing"
)

func TestArticle(t *testing.T) {
	a, b := Article(1, 330), Article(2, 330)
	if a == b || a != Article(1, 330) {
		t.Fatal("Article is not deterministic per seed")
	}
	if n := len(strings.Fields(a)); n < 330 || n > 450 {
		t.Errorf("Article(1, 330) has %d words", n)
	}
	t.Logf("%s", a)
}
