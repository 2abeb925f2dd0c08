package fakediscord

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// The fake refuses components beyond Discord's limits, so that the
// adapter's tests against it prove the adapter keeps within them.
func TestCheckComponents(t *testing.T) {
	button := func(id string) Component { return Component{Type: 2, Style: 1, Label: "Go", CustomID: id} }
	row := func(cs ...Component) Component { return Component{Type: 1, Components: cs} }
	menu := func(n int) Component {
		m := Component{Type: 3, CustomID: "menu"}
		for i := range n {
			m.Options = append(m.Options, discordgo.SelectMenuOption{Label: "option", Value: strings.Repeat("v", i+1)})
		}
		return m
	}
	ok := [][]Component{
		nil,
		{row(button("a"), button("b"), Component{Type: 2, Style: 5, Label: "Read", URL: "https://example.org/"})},
		{row(menu(25)), row(button("a")), row(button("b")), row(button("c")), row(button("d"))},
	}
	bad := [][]Component{
		{row(button("a")), row(button("b")), row(button("c")), row(button("d")), row(button("e")), row(button("f"))},
		{row(button("a"), button("b"), button("c"), button("d"), button("e"), button("f"))},
		{row(button("a"), button("a"))},
		{row(button(strings.Repeat("x", 101)))},
		{row(button(""))},
		{row(Component{Type: 2, Style: 1, Label: strings.Repeat("l", 81), CustomID: "a"})},
		{row(Component{Type: 2, Style: 5, Label: "Read", URL: "https://example.org/", CustomID: "a"})},
		{row(menu(26))},
		{row(menu(0))},
		{row(menu(2), button("a"))},
		{button("a")},
	}
	for i, rows := range ok {
		if err := checkComponents(rows); err != nil {
			t.Errorf("valid components %d refused: %v", i, err)
		}
	}
	for i, rows := range bad {
		if err := checkComponents(rows); err == nil {
			t.Errorf("invalid components %d accepted: %+v", i, rows)
		}
	}
}
