// Pure payloads for /spotify login and /spotify status (owner-only, always ephemeral). Every one goes through the
// text kit's clamps like every other reply: the status embed carries Spotify's account name and scopes verbatim.
import { ButtonStyle, ComponentType, TextInputStyle, type APIEmbed, type APIModalInteractionResponseCallbackData } from 'discord.js';
import type { GrantHealthStatus } from './grant-health.js';
import type { AccountHealth, LoginFailure } from './service.js';
import type { Privacy, SeatsView } from '../../listeners/members.js';
import { missingScopes } from '../../spotify/authorization.js';
import { clampEmbeds, clampModal, COLORS, embedPayload, escapeAndTruncate, formatWait, type ReplyPayload } from '../../discord/text.js';
import { SOURCE_LANGUAGE } from '../../i18n/locales.js';
import { dayText } from '../../i18n/time.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';

export const LOGIN_PASTE_ID = 'spotify:login:paste';
export const LOGIN_MODAL_ID = 'spotify:login:submit';
export const LOGIN_FIELD_ID = 'redirected';

/** Spotify display names are the user's own text: escaped and cut like every name. */
const ACCOUNT_NAME_MAX = 200;

const embedOnly = (embed: APIEmbed): ReplyPayload => embedPayload(embed);

/** A privacy choice's words ("Only me"), as the command's choices name them. */
export function privacyLabel(privacy: Privacy, tr: Translator): string {
  return tr.t(privacy === 'private' ? 'account.privacyPrivate' : 'account.privacyServer');
}

export function ownerOnlyReply(ownerConfigured: boolean, tr: Translator): ReplyPayload {
  return embedOnly({ color: COLORS.error, description: tr.t(ownerConfigured ? 'account.ownerOnly' : 'account.setOwnerId') });
}

/**
 * The first step of linking, for the owner (`/spotify login`) and members (`/spotify link`) alike. With the callback
 * server (`callback`), approving and confirming is enough; the paste button stays as the fallback. Whoever approves
 * the link links *their* Spotify account, so the message says plainly not to forward it.
 */
export function loginStartReply(
  authorizeUrl: string,
  redirectUri: string,
  opts: { callback?: boolean; member?: boolean },
  tr: Translator,
): ReplyPayload {
  const steps = opts.callback
    ? [tr.t('account.stepOwnApprove'), tr.t('account.stepCallback')]
    : [
        tr.t(opts.member ? 'account.stepOwnApprove' : 'account.stepApprove'),
        tr.t('account.stepRedirect', { uri: redirectUri }),
        tr.t('account.stepPaste'),
      ];
  const warning = tr.t(opts.member ? 'account.warningMember' : 'account.warningOwner');
  const memberNotes = opts.member ? ['', tr.t('account.devModeNote')] : [];
  return {
    embeds: clampEmbeds([
      {
        color: COLORS.playing,
        title: tr.t('account.linkTitle'),
        description: [...steps, '', warning, ...memberNotes].join('\n'),
      },
    ]),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Link, label: tr.t('account.openSpotify'), url: authorizeUrl },
          { type: ComponentType.Button, style: ButtonStyle.Primary, label: tr.t('account.pasteButton'), custom_id: LOGIN_PASTE_ID },
        ],
      },
    ],
  };
}

export function loginModal(tr: Translator): APIModalInteractionResponseCallbackData {
  return clampModal({
    custom_id: LOGIN_MODAL_ID,
    title: tr.t('account.modalTitle'),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: LOGIN_FIELD_ID,
            label: tr.t('account.modalLabel'),
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

export function loginFailedReply(reason: string, tr: Translator): ReplyPayload {
  return embedOnly({ color: COLORS.error, title: tr.t('account.notLinkedTitle'), description: `${reason}\n${tr.t('account.tryLogin')}` });
}

/** What a failed link says (also on the callback server's page, in English: a browser has no Discord locale). */
export function loginFailureText(reason: LoginFailure, opts: { maxUsers?: number } = {}, tr: Translator = ENGLISH): string {
  switch (reason) {
    case 'expired':
      return tr.t('account.failExpired');
    case 'state_mismatch':
      return tr.t('account.failStateMismatch');
    case 'denied':
      return tr.t('account.failDenied');
    case 'no_code':
      return tr.t('account.failNoCode');
    case 'code_rejected':
      return tr.t('account.failCodeRejected');
    case 'seats_full':
      return seatsFullText(opts.maxUsers ?? null, tr);
    case 'not_allow_listed':
      return notAllowListedText(tr);
    case 'account_taken':
      return tr.t('account.failAccountTaken');
    case 'missing_state':
      return tr.t('account.failMissingState');
    default: {
      const unknown: never = reason;
      return String(unknown);
    }
  }
}

export function seatsFullText(maxUsers: number | null, tr: Translator = ENGLISH): string {
  return `${maxUsers ? tr.t('account.seatsTakenOf', { n: maxUsers }) : tr.t('account.seatsTaken')} ${tr.t('account.seatsExplain')}`;
}

export function notAllowListedText(tr: Translator = ENGLISH): string {
  return tr.t('account.notAllowListed');
}

/**
 * A finished link names both sides: which Spotify account, and which Discord account it is now linked to (`userId`),
 * so a link approved by someone else is seen at once.
 */
export function loginDoneReply(
  opts: {
    account: string | null;
    scope: string;
    expiresAt: number;
    member?: boolean;
    userId: string;
    /** Listening history is on (HISTORY): a member's plays are recorded from linking on, and told so. */
    history?: boolean;
  },
  tr: Translator,
): ReplyPayload {
  const missing = missingScopes(opts.scope);
  const spotify = tr.t('account.spotifyAccount', {
    name: opts.account ? escapeAndTruncate(opts.account, ACCOUNT_NAME_MAX) : tr.t('account.accountNameUnknown'),
  });
  return embedOnly({
    color: COLORS.playing,
    title: tr.t('account.linkedTitle'),
    description: [
      tr.t(opts.member ? 'account.linkedMember' : 'account.linkedOwner', { spotify, userId: opts.userId }),
      ...(opts.member ? [tr.t('account.notYours')] : []),
      ...(opts.member && opts.history ? [tr.t('account.historyFromNow')] : []),
      tr.t('account.lastsUntil', { date: dayText(tr, opts.expiresAt) }),
      ...(missing.length ? [tr.t('account.notGranted', { scopes: missing.join(', ') })] : []),
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

/** How long ago: English keeps its compact words ("12 min ago"); other languages say it through Intl. */
function ago(ms: number, tr: Translator): string {
  const minutes = Math.round(ms / 60_000);
  const english = tr.language === SOURCE_LANGUAGE;
  if (minutes < 1) return english ? 'just now' : tr.relative(0, 'second');
  if (minutes < 120) return english ? `${minutes} min ago` : tr.relative(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 48) return english ? `${hours} h ago` : tr.relative(-hours, 'hour');
  const days = Math.round(hours / 24);
  return english ? `${days} days ago` : tr.relative(-days, 'day');
}

export function statusReply(facts: StatusFacts, tr: Translator): ReplyPayload {
  const { health, now } = facts;
  if (!health) {
    return embedOnly({ color: COLORS.error, title: tr.t('account.statusTitle'), description: tr.t('account.noAccount') });
  }
  const state = health.dead
    ? tr.t('account.stateDead')
    : health.expiringSoon
      ? tr.t('account.stateExpiring', { count: health.daysLeft })
      : tr.t('account.stateWorking');
  const wait = formatWait(facts.rateLimit.retryAfterSeconds, tr);
  const limit = facts.rateLimit.retryAfterSeconds
    ? tr.t(facts.rateLimit.quotaExceeded ? 'account.quotaExceeded' : 'account.rateLimited', { wait })
    : tr.t('account.notLimited');
  const age = ago(now - health.grantedAt, tr);
  const members = facts.seats?.members ?? [];
  const fields = [
    { name: tr.t('account.fieldAccount'), value: facts.account ? escapeAndTruncate(facts.account, ACCOUNT_NAME_MAX) : tr.t('account.accountUnreachable'), inline: true },
    { name: tr.t('account.fieldState'), value: state, inline: true },
    { name: tr.t('account.fieldScopes'), value: health.grant.scope ? health.grant.scope.split(/\s+/).join('\n') : tr.t('account.notRecorded') },
    { name: tr.t('account.fieldTokenAge'), value: health.grantedAtKnown ? age : tr.t('account.consentUnknown', { age }), inline: true },
    {
      name: tr.t('account.fieldExpires'),
      value: `${dayText(tr, health.expiresAt)} (${tr.t('account.days', { count: health.daysLeft })})`,
      inline: true,
    },
    { name: tr.t('account.fieldLastSuccess'), value: facts.lastSuccessAt ? ago(now - facts.lastSuccessAt, tr) : tr.t('account.noneYet'), inline: true },
    { name: tr.t('account.fieldRateLimit'), value: limit, inline: true },
    {
      name: tr.t('account.fieldSource'),
      value: health.grant.source === 'env' ? '.env' : health.grant.source === 'login' ? '/spotify login' : tr.t('account.sourceRotated'),
      inline: true,
    },
    ...(facts.seats
      ? [
          {
            name: tr.t('account.fieldSeats'),
            // Which Discord id holds which Spotify account: a wrong pairing (a forwarded link) is seen and removed here.
            value:
              tr.t('account.seatsUsed', { used: facts.seats.used, max: facts.seats.max, count: members.length }) +
              members
                .map(
                  (m) =>
                    `\n${tr.t('account.seatPair', { userId: m.userId, name: escapeAndTruncate(m.spotifyName ?? m.spotifyId, 60), id: escapeAndTruncate(m.spotifyId, 40) })}`,
                )
                .join('') +
              (members.length > 0 ? `\n${tr.t('account.wrongPairing')}` : ''),
          },
        ]
      : []),
  ];
  return embedOnly({ color: health.dead ? COLORS.error : COLORS.playing, title: tr.t('account.statusTitle'), fields });
}

// ------------------------------------------------------------------------------------------------ members

export function linkFailedReply(reason: LoginFailure, maxUsers: number, tr: Translator): ReplyPayload {
  return embedOnly({
    color: COLORS.error,
    title: tr.t('account.notLinkedTitle'),
    description:
      loginFailureText(reason, { maxUsers }, tr) +
      (reason === 'seats_full' || reason === 'not_allow_listed' ? '' : `\n${tr.t('account.tryLink')}`),
  });
}

export function seatsFullReply(used: number, max: number, tr: Translator): ReplyPayload {
  return embedOnly({ color: COLORS.error, title: tr.t('account.noSeatTitle', { used, max }), description: seatsFullText(max, tr) });
}

export function notLinkedSelfReply(tr: Translator): ReplyPayload {
  return embedOnly({ color: COLORS.neutral, description: tr.t('account.notLinkedSelf') });
}

export function unlinkedReply(wasLinked: boolean, history: boolean, tr: Translator): ReplyPayload {
  return embedOnly({
    color: COLORS.neutral,
    title: tr.t(wasLinked ? 'account.unlinkedTitle' : 'account.nothingToUnlink'),
    description: [
      tr.t(wasLinked ? 'account.unlinkedDone' : 'account.noneLinked'),
      ...(history ? [tr.t('account.historyKept')] : []),
      '',
      tr.t('account.removeAccess'),
    ].join('\n'),
  });
}

/** The owner's `/spotify unlink member:` — that member's link removed (or there was none). */
export function ownerUnlinkedReply(userId: string, wasLinked: boolean, tr: Translator): ReplyPayload {
  return embedOnly({
    color: COLORS.neutral,
    title: tr.t(wasLinked ? 'account.memberUnlinkedTitle' : 'account.nothingToUnlink'),
    description: tr.t(wasLinked ? 'account.memberUnlinked' : 'account.memberHadNone', { userId }),
  });
}

/** "Only me" for a member without a Spotify link: it hides them from the history's server views. */
export function statusPrivacyReply(privacy: Privacy, tr: Translator): ReplyPayload {
  return embedOnly({
    color: COLORS.playing,
    title: tr.t('account.privacySaved'),
    description: tr.t(privacy === 'private' ? 'account.historyPrivate' : 'account.historyServer', { label: privacyLabel(privacy, tr) }),
  });
}

export function privacyReply(privacy: Privacy, tr: Translator): ReplyPayload {
  return embedOnly({
    color: COLORS.playing,
    title: tr.t('account.privacySaved'),
    description: tr.t(privacy === 'private' ? 'account.privacyPrivateSaved' : 'account.privacyServerSaved', { label: privacyLabel(privacy, tr) }),
  });
}

export function ownerPrivacyReply(tr: Translator): ReplyPayload {
  return embedOnly({ color: COLORS.neutral, description: tr.t('account.ownerPrivacy') });
}

/** The owner's own link is the bot's: renewed with /spotify login, removed from the bot's settings. */
export function ownerOnlyUnlinkReply(tr: Translator): ReplyPayload {
  return loginFailedReply(tr.t('account.ownerUnlink'), tr);
}

export function noticesReply(notices: readonly string[]): ReplyPayload {
  return { embeds: clampEmbeds(notices.map((text) => ({ color: COLORS.neutral, description: text }))), components: [] };
}
