package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// Discord's limits on command definitions.
const (
	maxCommandDescription = 100
	maxChoices            = 25
	maxChoiceName         = 100
)

// Where the commands may be used: installed in servers (not on users'
// accounts), in a server's channels and in a direct message with the bot,
// never in group DMs, where nobody could manage what the bot does.
var (
	commandContexts  = []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	integrationTypes = []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
	manageChannels   = int64(discordgo.PermissionManageChannels)
)

// slashCommands turns the bot's commands into Discord chat commands with
// string options, in the order the bot lists them. Required options come
// first, as Discord demands; Request.Args keeps the bot's order anyway.
//
// With hideAdmin, the admin commands (/subscribe, /unsubscribe) need
// Manage Channels by default (default_member_permissions), so Discord shows
// them only to those who may use them; a server's admins can still grant
// them to a role in Server Settings > Integrations. Without it (when
// DISCORD_ADMIN_ROLE names a role that Discord does not know to allow)
// they are shown to everyone. Either way the bot checks the right itself:
// /feeds, whose list is for everyone, cannot be hidden for add and remove
// alone, and in a direct message default_member_permissions does not apply.
func slashCommands(specs []bot.Command, hideAdmin bool) []*discordgo.ApplicationCommand {
	out := make([]*discordgo.ApplicationCommand, 0, len(specs))
	for _, c := range specs {
		ac := &discordgo.ApplicationCommand{
			Type:             discordgo.ChatApplicationCommand,
			Name:             c.Name,
			Description:      clip(c.Description, maxCommandDescription),
			Options:          []*discordgo.ApplicationCommandOption{},
			Contexts:         &commandContexts,
			IntegrationTypes: &integrationTypes,
		}
		if c.Right != bot.Anyone && hideAdmin {
			ac.DefaultMemberPermissions = &manageChannels
		}
		var required, optional []*discordgo.ApplicationCommandOption
		for _, o := range c.Options {
			opt := &discordgo.ApplicationCommandOption{
				Type:        discordgo.ApplicationCommandOptionString,
				Name:        o.Name,
				Description: clip(o.Description, maxCommandDescription),
				Required:    o.Required,
			}
			for i, ch := range o.Choices {
				if i == maxChoices {
					break
				}
				opt.Choices = append(opt.Choices, &discordgo.ApplicationCommandOptionChoice{Name: clip(ch, maxChoiceName), Value: ch})
			}
			if o.Required {
				required = append(required, opt)
			} else {
				optional = append(optional, opt)
			}
		}
		ac.Options = append(append(ac.Options, required...), optional...)
		out = append(out, ac)
	}
	return out
}

// registerCommands replaces the application's commands with the bot's, in
// the configured guild or globally.
func (p *Platform) registerCommands(ctx context.Context) error {
	app, _ := p.appID.Load().(string)
	if app == "" {
		return errors.New("discord: the gateway's READY gave no application ID; cannot register slash commands")
	}
	_, err := p.s.ApplicationCommandBulkOverwrite(app, p.cfg.GuildID, slashCommands(bot.Commands(), p.cfg.AdminRole == ""), discordgo.WithContext(ctx))
	if err == nil {
		return nil
	}
	var rest *discordgo.RESTError
	if p.cfg.GuildID != "" && errors.As(err, &rest) && rest.Response != nil && rest.Response.StatusCode == http.StatusForbidden {
		return fmt.Errorf("discord: registering slash commands in DISCORD_GUILD_ID %s was refused: invite the bot to that server with the applications.commands scope: %w", p.cfg.GuildID, err)
	}
	return fmt.Errorf("discord: registering slash commands: %w", err)
}
