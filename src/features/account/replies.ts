// Pure payloads for /spotify login and /spotify status (owner-only, always ephemeral). Every one goes through the
// text kit's clamps like every other reply: the status embed carries Spotify's account name and scopes verbatim.
import { ButtonStyle, ComponentType, TextInputStyle, type APIEmbed, type APIModalInteractionResponseCallbackData } from 'discord.js';
import { isoDate, type GrantHealthStatus } from './grant-health.js';
import type { AccountHealth, LoginFailure } from './service.js';
import { PRIVACY_LABELS, type Privacy, type SeatsView } from '../../listeners/members.js';
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
      ? 'Only the bot owner can manage its Spotify link. To link your own Spotify account, run `/spotify link`.'
      : 'Set `BOT_OWNER_ID` in the bot\'s settings to your Discord user ID to use `/spotify`.',
  });
}

/**
 * The first step of linking, for the owner (`/spotify login`) and members (`/spotify link`) alike. With the callback
 * server (`callback`), approving and confirming is enough; the paste button stays as the fallback. Whoever approves
 * the link links *their* Spotify account, so the message says plainly not to forward it.
 */
export function loginStartReply(authorizeUrl: string, redirectUri: string, opts: { callback?: boolean; member?: boolean } = {}): ReplyPayload {
  const steps = opts.callback
    ? [
        '1. Open the Spotify page below, log in with **your own** Spotify account and approve.',
        '2. A page names the Discord account it links to — check it is yours and press **Link my Spotify account**. ' +
          'A page says *Spotify linked* — that\'s all. (If it doesn\'t, copy the whole address it ended on, press **Paste redirected URL** and paste it.)',
      ]
    : [
        `1. Open the Spotify page below${opts.member ? ', log in with **your own** Spotify account' : ''} and approve.`,
        `2. Your browser then goes to \`${redirectUri}\` and shows *can't connect* — that's expected.`,
        '3. Copy the **whole address** from the address bar (with its `code=…&state=…`), press **Paste redirected URL** and paste it. A code alone is not accepted.',
      ];
  const whose = opts.member ? 'your Discord account' : 'this bot';
  const warning =
    `**Open this link only yourself and never forward it:** whoever approves it links *their* Spotify account to ${whose}. ` +
    'It is valid for 15 minutes.';
  const memberNotes = opts.member
    ? [
        '',
        "The bot's Spotify app is in development mode: the bot owner must first add the e-mail address of your Spotify " +
          'account under *User Management* in the Spotify dashboard, or Spotify refuses the link.',
      ]
    : [];
  return {
    embeds: clampEmbeds([
      {
        color: COLORS.playing,
        title: 'Link Spotify',
        description: [...steps, '', warning, ...memberNotes].join('\n'),
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
            label: 'The whole redirected URL (with state=)',
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

/** What a failed link says (also on the callback server's page). */
export function loginFailureText(reason: LoginFailure, opts: { maxUsers?: number } = {}): string {
  switch (reason) {
    case 'expired':
      return 'This login has expired (or was already used).';
    case 'state_mismatch':
      return "That URL belongs to a different login attempt (its `state` doesn't match).";
    case 'denied':
      return 'Spotify says access was denied.';
    case 'no_code':
      return "That doesn't contain an authorization code.";
    case 'code_rejected':
      return 'Spotify rejected the code: it was already used or has expired.';
    case 'seats_full':
      return seatsFullText(opts.maxUsers ?? null);
    case 'not_allow_listed':
      return notAllowListedText();
    case 'account_taken':
      return 'That Spotify account is already linked by another member here. Each Spotify account can be linked by one Discord member.';
    case 'missing_state':
      return (
        'Paste the **whole address** from the browser\'s address bar, with its `code=…` and `state=…`: a code alone is ' +
        'not accepted (the `state` shows the address belongs to the link you started). Nothing was changed.'
      );
    default: {
      const unknown: never = reason;
      return String(unknown);
    }
  }
}

export function seatsFullText(maxUsers: number | null): string {
  return (
    `Every Spotify seat of this bot is taken${maxUsers ? ` (${maxUsers}, the owner's included)` : ''}. ` +
    "Spotify lets a self-hosted bot's app (in development mode) serve at most 5 Spotify users, each added by hand. " +
    'Ask the bot owner: they decide who has a seat (a member frees one with `/spotify unlink`).'
  );
}

export function notAllowListedText(): string {
  return (
    'Spotify refused your account: it is not on this bot\'s allow-list ("User not registered in the Developer Dashboard"). ' +
    'The bot owner must add **the e-mail address of your Spotify account** under *User Management* in the Spotify ' +
    'dashboard (developer.spotify.com/dashboard → the app → User Management). The owner has been told; once they ' +
    'have added you, run `/spotify link` again. Nothing was kept.'
  );
}

/**
 * A finished link names both sides: which Spotify account, and which Discord account it is now linked to (`userId`),
 * so a link approved by someone else is seen at once.
 */
export function loginDoneReply(opts: {
  account: string | null;
  scope: string;
  expiresAt: number;
  member?: boolean;
  userId: string;
  /** Listening history is on (HISTORY): a member's plays are recorded from linking on, and told so. */
  history?: boolean;
}): ReplyPayload {
  const missing = missingScopes(opts.scope);
  const spotify = `Spotify **${opts.account ? escapeAndTruncate(opts.account, ACCOUNT_NAME_MAX) : '(account name unknown)'}**`;
  return embedOnly({
    color: COLORS.playing,
    title: 'Spotify linked',
    description: [
      opts.member
        ? `${spotify} is now linked to <@${opts.userId}>. ` +
          '`/nowplaying`, `/toptracks`, `/topartists` and `/recent` now show that account\'s listening; others see it with the `user` option unless you choose `/spotify privacy` → only me.'
        : `${spotify} is now linked to the bot, as the account of its owner <@${opts.userId}>. The bot uses it from now on — no restart needed.`,
      ...(opts.member ? ["If that isn't your own Spotify account, run `/spotify unlink` now."] : []),
      ...(opts.member && opts.history
        ? ['Your plays are kept as listening history from now on (`/history status` shows them): `/history off` stops it, `/history delete` erases it.']
        : []),
      `This authorization lasts until **${isoDate(opts.expiresAt)}** (Spotify's 6-month limit); the bot will remind you before then.`,
      ...(missing.length ? [`⚠️ Not granted: ${missing.join(', ')} — some commands won't work.`] : []),
    ].join('\n'),
  });
}

export interface StatusFacts {
  health: AccountHealth | GrantHealthStatus | null;
  /** Seats in use (the owner's view). */
  seats?: SeatsView;
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
    ...(facts.seats
      ? [
          {
            name: 'Seats',
            // Which Discord id holds which Spotify account: a wrong pairing (a forwarded link) is seen and removed here.
            value:
              `${facts.seats.used} of ${facts.seats.max} used (you + ${facts.seats.members.length} member${facts.seats.members.length === 1 ? '' : 's'})` +
              facts.seats.members
                .map(
                  (m) =>
                    `\n<@${m.userId}> (${m.userId}) ↔ Spotify ${escapeAndTruncate(m.spotifyName ?? m.spotifyId, 60)} (${escapeAndTruncate(m.spotifyId, 40)})`,
                )
                .join('') +
              (facts.seats.members.length > 0 ? '\nA wrong pairing? Remove it with `/spotify unlink member:@…`.' : ''),
          },
        ]
      : []),
  ];
  return embedOnly({ color: health.dead ? COLORS.error : COLORS.playing, title: 'Spotify status', fields });
}

// ------------------------------------------------------------------------------------------------ members

export function linkFailedReply(reason: LoginFailure, maxUsers: number): ReplyPayload {
  return embedOnly({
    color: COLORS.error,
    title: 'Spotify was not linked',
    description: loginFailureText(reason, { maxUsers }) + (reason === 'seats_full' || reason === 'not_allow_listed' ? '' : '\nRun `/spotify link` to try again.'),
  });
}

export function seatsFullReply(used: number, max: number): ReplyPayload {
  return embedOnly({ color: COLORS.error, title: `No free Spotify seat (${used} of ${max} used)`, description: seatsFullText(max) });
}

export function notLinkedSelfReply(): ReplyPayload {
  return embedOnly({
    color: COLORS.neutral,
    description: "You haven't linked a Spotify account. Run `/spotify link` to link yours (the bot owner may need to add you first).",
  });
}

export function unlinkedReply(wasLinked: boolean, history = false): ReplyPayload {
  return embedOnly({
    color: COLORS.neutral,
    title: wasLinked ? 'Spotify unlinked' : 'Nothing to unlink',
    description: [
      wasLinked
        ? 'The bot deleted everything it kept for your Spotify link: your Spotify authorization and access tokens, cached lists and settings. Your seat is free again.'
        : 'No Spotify account is linked.',
      ...(history
        ? ['Your listening history (the plays recorded so far) is kept, and no longer recorded: `/history delete` erases it, `/history export` downloads it first.']
        : []),
      '',
      "To remove the app's access on Spotify's side as well: spotify.com → Account → *Apps* (Manage apps) → find this bot's app → **Remove access**.",
    ].join('\n'),
  });
}

/** The owner's `/spotify unlink member:` — that member's link removed (or there was none). */
export function ownerUnlinkedReply(userId: string, wasLinked: boolean): ReplyPayload {
  return embedOnly({
    color: COLORS.neutral,
    title: wasLinked ? 'Member unlinked' : 'Nothing to unlink',
    description: wasLinked
      ? `The bot deleted everything it kept for <@${userId}>: their Spotify authorization and access tokens, cached lists and settings. The seat is free again.`
      : `<@${userId}> has no Spotify account linked.`,
  });
}

/** "Only me" for a member without a Spotify link: it hides them from the history's server views. */
export function statusPrivacyReply(privacy: Privacy): ReplyPayload {
  return embedOnly({
    color: COLORS.playing,
    title: 'Privacy saved',
    description:
      privacy === 'private'
        ? `**${PRIVACY_LABELS.private}**: you are left out of this bot's server views of listening history (server stats, who knows, charts, recaps).`
        : `**${PRIVACY_LABELS.server}**: your recorded plays count in the server views of the servers you are in.`,
  });
}

export function privacyReply(privacy: Privacy): ReplyPayload {
  return embedOnly({
    color: COLORS.playing,
    title: 'Privacy saved',
    description:
      privacy === 'private'
        ? `**${PRIVACY_LABELS.private}**: only you see your listening. Others who ask get "keeps their listening private", and the bot asks Spotify nothing for them.`
        : `**${PRIVACY_LABELS.server}**: members of a server you share with the bot can see your listening with the \`user\` option. In DMs only you see it.`,
  });
}

export function ownerPrivacyReply(): ReplyPayload {
  return embedOnly({
    color: COLORS.neutral,
    description: "The owner's listening is the bot's own status (\"Listening to …\"), so it stays visible. Set `PRESENCE_CRON=off` to hide it.",
  });
}

export function noticesReply(notices: readonly string[]): ReplyPayload {
  return { embeds: clampEmbeds(notices.map((text) => ({ color: COLORS.neutral, description: text }))), components: [] };
}
