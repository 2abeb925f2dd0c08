//go:build tools

// Package main pins dependencies that packages under construction will use.
package main

import (
	_ "codeberg.org/readeck/go-readability/v2"
	_ "github.com/bwmarrin/discordgo"
	_ "github.com/mmcdole/gofeed"
	_ "github.com/robfig/cron/v3"
	_ "github.com/slack-go/slack"
	_ "golang.org/x/net/html"
	_ "modernc.org/sqlite"
)
