package fakeslack

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// The fake reports blocks beyond Slack's limits, so that the adapter's
// tests against it prove the adapter keeps within them.
func TestCheckBlocks(t *testing.T) {
	button := func(id, text string) map[string]any {
		return map[string]any{"type": "button", "action_id": id, "value": id, "text": map[string]any{"type": "plain_text", "text": text}}
	}
	menu := func(n int, text string) map[string]any {
		var opts []any
		for i := range n {
			opts = append(opts, map[string]any{"text": map[string]any{"type": "plain_text", "text": text}, "value": fmt.Sprint(i)})
		}
		return map[string]any{"type": "static_select", "action_id": "menu", "options": opts, "placeholder": map[string]any{"type": "plain_text", "text": "Pick"}}
	}
	actions := func(els ...map[string]any) string {
		b, _ := json.Marshal([]any{map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": "hi"}},
			map[string]any{"type": "actions", "elements": els}})
		return string(b)
	}
	many := make([]map[string]any, 26)
	for i := range many {
		many[i] = button(fmt.Sprint(i), "Go")
	}
	if p := checkBlocks(actions(button("a", "Go"), menu(100, "fine"))); p != nil {
		t.Errorf("valid blocks: %v", p)
	}
	for i, blocks := range []string{
		actions(many...),
		actions(button("a", "Go"), button("a", "Again")),
		actions(button("a", strings.Repeat("x", 76))),
		actions(button(strings.Repeat("i", 256), "Go")),
		actions(menu(101, "fine")),
		actions(menu(1, strings.Repeat("x", 76))),
		`[{"type":"actions","elements":[{"type":"image"}]}]`,
		"not json",
	} {
		if p := checkBlocks(blocks); len(p) == 0 {
			t.Errorf("invalid blocks %d accepted", i)
		}
	}
}
