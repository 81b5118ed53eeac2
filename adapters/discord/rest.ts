// Discord REST through @discordjs/rest: editing a deferred reply, ephemeral follow-ups, and command registration.
import { REST } from '@discordjs/rest';
import {
  type RESTPostAPIApplicationCommandsJSONBody,
  type RESTPostAPIWebhookWithTokenJSONBody,
  type RESTPatchAPIWebhookWithTokenMessageJSONBody,
  Routes,
} from 'discord-api-types/v10';
import type { DiscordSettings } from './config.ts';

export interface DiscordRest {
  /** PATCH the deferred answer (`@original`); the interaction token is the credential, no bot token needed. */
  editOriginal(
    applicationId: string,
    token: string,
    body: RESTPatchAPIWebhookWithTokenMessageJSONBody,
  ): Promise<void>;
  /** A new message after the original (used for ephemeral errors after a deferred button click). */
  followUp(applicationId: string, token: string, body: RESTPostAPIWebhookWithTokenJSONBody): Promise<void>;
  /** Deletes a message the bot posted (the Dismiss button under an unfurl reply). Needs the bot token. */
  deleteMessage(channelId: string, messageId: string): Promise<void>;
  /** Bulk-overwrites global commands, or a guild's when `guildId` is set. Needs the bot token. */
  overwriteCommands(
    applicationId: string,
    guildId: string | null,
    commands: readonly RESTPostAPIApplicationCommandsJSONBody[],
  ): Promise<unknown>;
}

/** Discord's REST API for this application, through one @discordjs/rest client. */
export class DiscordRestClient implements DiscordRest {
  private readonly rest: REST;

  constructor(discord: DiscordSettings, timeoutMs = 15_000) {
    // @discordjs/rest appends `/v10` itself: the configured base is the API root without a version.
    this.rest = new REST({ api: discord.apiBaseUrl.replace(/\/+$/, ''), version: '10', timeout: timeoutMs });
    if (discord.botToken) this.rest.setToken(discord.botToken);
  }

  async editOriginal(
    applicationId: string,
    token: string,
    body: RESTPatchAPIWebhookWithTokenMessageJSONBody,
  ): Promise<void> {
    await this.rest.patch(Routes.webhookMessage(applicationId, token, '@original'), { body, auth: false });
  }

  async followUp(
    applicationId: string,
    token: string,
    body: RESTPostAPIWebhookWithTokenJSONBody,
  ): Promise<void> {
    await this.rest.post(Routes.webhook(applicationId, token), { body, auth: false });
  }

  async deleteMessage(channelId: string, messageId: string): Promise<void> {
    await this.rest.delete(Routes.channelMessage(channelId, messageId));
  }

  overwriteCommands(
    applicationId: string,
    guildId: string | null,
    commands: readonly RESTPostAPIApplicationCommandsJSONBody[],
  ): Promise<unknown> {
    const route = guildId
      ? Routes.applicationGuildCommands(applicationId, guildId)
      : Routes.applicationCommands(applicationId);
    return this.rest.put(route, { body: commands });
  }
}
