package slack

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
)

// The app manifest registers the command the adapter answers, only the
// scopes it needs, the app_mention event and Socket Mode, and names every
// bot command in the command's description.
func TestManifest(t *testing.T) {
	b, err := os.ReadFile("../../slack-manifest.yml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, want := range []string{"- command: " + Command, "socket_mode_enabled: true", "bot_events:\n      - app_mention\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("the manifest lacks %q", want)
		}
	}
	scopes := regexp.MustCompile(`(?s)scopes:\s*\n\s*bot:\s*\n(.*?)\nsettings:`).FindStringSubmatch(text)
	if scopes == nil {
		t.Fatal("no bot scopes in the manifest")
	}
	var got []string
	for _, m := range regexp.MustCompile(`(?m)^\s*- (\S+)\s*$`).FindAllStringSubmatch(scopes[1], -1) {
		got = append(got, m[1])
	}
	slices.Sort(got)
	if want := []string{"app_mentions:read", "chat:write", "commands", "users:read"}; !slices.Equal(got, want) {
		t.Errorf("scopes %v, want %v", got, want)
	}
	desc := regexp.MustCompile(`(?m)^\s*description: "News briefings with sources: (.*)"$`).FindStringSubmatch(text)
	if desc == nil {
		t.Fatal("no command description")
	}
	for _, c := range bot.Commands() {
		if !regexp.MustCompile(`\b` + c.Name + `\b`).MatchString(desc[1]) {
			t.Errorf("the command description does not name %q", c.Name)
		}
	}
}
