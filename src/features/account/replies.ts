// Pure payloads for /spotify login and /spotify status (owner-only, always ephemeral). Every one goes through the
// text kit's clamps like every other reply: the status embed carries Spotify's account name and scopes verbatim.
import { ButtonStyle, ComponentType, TextInputStyle, type APIEmbed, type APIModalInteractionResponseCallbackData } from 'discord.js';
import { isoDate, type GrantHealthStatus } from './grant-health.js';
import { missingScopes } from '../../spotify/authorization.js';
import { clampEmbeds, clampModal, COLORS, embedPayload, escapeAndTruncate, formatWait, type ReplyPayload } from '../../discord/text.js';

export const LOGIN_PASTE_ID = 'spotify:login:paste';
export const LOGIN_MODAL_ID = 'spotify:login:submit';
export const LOGIN_FIELD_ID = 'redirected';

/** Spotify display names are the user's own text: escaped and cut like every name. */
const ACCOUNT_NAME_MAX = 200;

const embedOnly = (embed: APIEmbed): ReplyPayload => embedPayload(embed);

export function ownerOnlyReply(ownerConfigured: boolean): ReplyPayload {
  return embedOnly({
    color: COLORS.error,
    description: ownerConfigured
      ? 'Only the bot owner can manage its Spotify link.'
      : 'Set `BOT_OWNER_ID` in the bot\'s settings to your Discord user ID to use `/spotify`.',
  });
}

export function loginStartReply(authorizeUrl: string, redirectUri: string): ReplyPayload {
  return {
    embeds: clampEmbeds([
      {
        color: COLORS.playing,
        title: 'Link Spotify',
        description: [
          '1. Open the Spotify page below and approve.',
          `2. Your browser then goes to \`${redirectUri}\` and shows *can't connect* — that's expected.`,
          '3. Copy the whole address from the address bar, press **Paste redirected URL** and paste it.',
          '',
          'The link is valid for 15 minutes and only for you.',
        ].join('\n'),
      },
    ]),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Link, label: 'Open Spotify', url: authorizeUrl },
          { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Paste redirected URL', custom_id: LOGIN_PASTE_ID },
        ],
      },
    ],
  };
}

export function loginModal(): APIModalInteractionResponseCallbackData {
  return clampModal({
    custom_id: LOGIN_MODAL_ID,
    title: 'Finish linking Spotify',
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: LOGIN_FIELD_ID,
            label: 'Redirected URL (or just the code)',
            style: TextInputStyle.Paragraph,
            placeholder: 'http://127.0.0.1:8888/callback?code=…&state=…',
            required: true,
            max_length: 2000,
          },
        ],
      },
    ],
  });
}

export function loginFailedReply(reason: string): ReplyPayload {
  return embedOnly({ color: COLORS.error, title: 'Spotify was not linked', description: `${reason}\nRun \`/spotify login\` to try again.` });
}

export function loginDoneReply(opts: { account: string | null; scope: string; expiresAt: number }): ReplyPayload {
  const missing = missingScopes(opts.scope);
  return embedOnly({
    color: COLORS.playing,
    title: 'Spotify linked',
    description: [
      `Linked to **${opts.account ? escapeAndTruncate(opts.account, ACCOUNT_NAME_MAX) : 'your Spotify account'}**. The bot uses it from now on — no restart needed.`,
      `This authorization lasts until **${isoDate(opts.expiresAt)}** (Spotify's 6-month limit); the bot will remind you before then.`,
      ...(missing.length ? [`⚠️ Not granted: ${missing.join(', ')} — some commands won't work.`] : []),
    ].join('\n'),
  });
}

export interface StatusFacts {
  health: GrantHealthStatus | null;
  account: string | null;
  lastSuccessAt: number | null;
  rateLimit: { retryAfterSeconds: number; quotaExceeded: boolean };
  now: number;
}

function ago(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export function statusReply(facts: StatusFacts): ReplyPayload {
  const { health, now } = facts;
  if (!health) {
    return embedOnly({ color: COLORS.error, title: 'Spotify status', description: 'No Spotify account is linked. Run `/spotify login`.' });
  }
  const state = health.dead
    ? '❌ Authorization dead — run `/spotify login`'
    : health.expiringSoon
      ? `⚠️ Expires in ${health.daysLeft} days — renew with \`/spotify login\``
      : '✅ Working';
  const limit = facts.rateLimit.retryAfterSeconds
    ? `${facts.rateLimit.quotaExceeded ? 'Quota exceeded' : 'Rate-limited'} — ${formatWait(facts.rateLimit.retryAfterSeconds)} left`
    : 'Not limited';
  const fields = [
    { name: 'Account', value: facts.account ? escapeAndTruncate(facts.account, ACCOUNT_NAME_MAX) : 'unknown (Spotify not reachable)', inline: true },
    { name: 'State', value: state, inline: true },
    { name: 'Granted scopes', value: health.grant.scope ? health.grant.scope.split(/\s+/).join('\n') : 'not recorded' },
    {
      name: 'Token age',
      value: `${ago(now - health.grantedAt)}${health.grantedAtKnown ? '' : ' (consent time unknown; counted from first use)'}`,
      inline: true,
    },
    { name: 'Expires', value: `${isoDate(health.expiresAt)} (${health.daysLeft} days)`, inline: true },
    { name: 'Last successful call', value: facts.lastSuccessAt ? ago(now - facts.lastSuccessAt) : 'none yet', inline: true },
    { name: 'Rate limit', value: limit, inline: true },
    { name: 'Source', value: health.grant.source === 'env' ? '.env' : health.grant.source === 'login' ? '/spotify login' : 'rotated by Spotify', inline: true },
  ];
  return embedOnly({ color: health.dead ? COLORS.error : COLORS.playing, title: 'Spotify status', fields });
}
