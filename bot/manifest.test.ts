import { readFileSync } from 'node:fs';
import type { AppsManifestValidateArguments } from '@slack/web-api';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

/** Slack's manifest type, as `apps.manifest.validate` takes it. */
type Manifest = AppsManifestValidateArguments['manifest'];
type BotScopes = NonNullable<NonNullable<Manifest['oauth_config']>['scopes']>['bot'];
type BotEvents = NonNullable<NonNullable<Manifest['settings']>['event_subscriptions']>['bot_events'];

// Checked by the compiler against Slack's own manifest types: a typo in a scope or event fails `tsc`.
const scopes: BotScopes = [
  'app_mentions:read',
  'chat:write',
  'chat:write.public',
  'commands',
  'files:write',
  'reactions:read',
  'usergroups:read',
];
const events: BotEvents = ['app_mention', 'reaction_added', 'reaction_removed'];

const https = z.url({ protocol: /^https$/ });
// The limits Slack's manifest schema documents (see @slack/web-api's Manifest type).
const schema = z.object({
  _metadata: z.object({ major_version: z.literal(2), minor_version: z.number().int() }),
  display_information: z.object({
    name: z.string().min(1).max(35),
    description: z.string().max(140),
    background_color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  }),
  features: z.object({
    app_home: z.object({
      home_tab_enabled: z.boolean(),
      messages_tab_enabled: z.boolean(),
      messages_tab_read_only_enabled: z.boolean(),
    }),
    bot_user: z.object({ display_name: z.string().regex(/^[a-z0-9._-]{1,80}$/), always_online: z.boolean() }),
    slash_commands: z.array(
      z.object({
        command: z.string().regex(/^\/[\w-]{1,31}$/),
        url: https,
        description: z.string().min(1).max(2000),
        usage_hint: z.string().max(1000),
        should_escape: z.boolean(),
      }),
    ),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ request_url: https, bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.literal(true), request_url: https }),
    org_deploy_enabled: z.boolean(),
    socket_mode_enabled: z.boolean(),
    token_rotation_enabled: z.boolean(),
  }),
});

it('is a valid Slack app manifest for what the bot listens to and calls', () => {
  const manifest = schema.parse(parse(readFileSync(new URL('./manifest.yaml', import.meta.url), 'utf8')));
  expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/pantheon']);
  expect(manifest.oauth_config.scopes.bot).toEqual(scopes);
  expect(manifest.settings.event_subscriptions.bot_events).toEqual(events);
  // Bolt's HTTP receiver serves everything on one path.
  const urls = [
    manifest.features.slash_commands[0]!.url,
    manifest.settings.event_subscriptions.request_url,
    manifest.settings.interactivity.request_url,
  ];
  expect(urls.every((url) => url.endsWith('/slack/events'))).toBe(true);
});
