// English: the source language. Every other language file is typed from this one (src/i18n/types.ts): a key
// missing there, or a parameter used with the wrong name, is a compile error. Keys are flat ("area.what");
// a plural is `<key>_<category>` with the categories of Intl.PluralRules for the language ("one", "other", …).
// Placeholders: {{name}}; {{n, number}} is formatted with Intl.NumberFormat for the language.
export const messages = {
  'common.previous': '◀ Previous',
  'common.next': 'Next ▶',
  'common.span': '{{from}}–{{to}} of {{total}}',
  'common.pageSpan': 'Page {{page}}/{{pages}} · {{span}}',
  'common.untitledTrack': 'Untitled track',
  'common.unknownArtist': 'Unknown artist',
  'common.localFile': 'local file',

  'time.justNow': 'just now',
  'time.minutesAgo_one': '{{count}} min ago',
  'time.minutesAgo_other': '{{count}} min ago',
  'time.hoursAgo_one': '{{count}} h ago',
  'time.hoursAgo_other': '{{count}} h ago',
  'time.yesterday': 'yesterday',
  'time.daysAgo_one': '{{count}} day ago',
  'time.daysAgo_other': '{{count}} days ago',
  'time.aMoment': 'a moment',
  'time.inAMoment': 'in a moment',
  'time.inWait': 'in {{wait}}',
  'time.seconds': '{{n, number}} s',
  'time.aboutMinutes': 'about {{n, number}} min',
  'time.aboutHours': 'about {{n, number}} h',

  'range.short_term': 'Last 4 weeks',
  'range.medium_term': 'Last 6 months',
  'range.long_term': 'Last year',

  'errors.generic': "Something went wrong. The owner can check the bot's log.",
  'errors.invalidClient': "Spotify rejected the bot's app credentials — the bot owner needs to check the Spotify client ID and secret.",
  'errors.reauthorize': 'The bot owner needs to re-authorize Spotify (`npm run authorize`).',
  'errors.quota': 'The bot has used up its Spotify request quota for now — try again {{when}}.',
  'errors.rateLimited': 'Spotify is rate-limiting the bot — try again {{when}}.',
  'errors.unavailable': "Spotify isn't answering right now — try again in a moment.",
  'errors.forbidden':
    "Spotify refused the request for the owner's account. If the Spotify app is in development mode, the owner's account must be on its allow-list (User Management in the Spotify dashboard), and some features need Premium.",

  'recent.title': 'Recently played',
  'recent.nothing': 'Nothing played recently — or it was all in a private session.',

  'top.tracks': 'Top tracks',
  'top.artists': 'Top artists',
  'top.noTracks': 'No top tracks yet for this period — Spotify needs a bit more listening history.',
  'top.noArtists': 'No top artists yet for this period — Spotify needs a bit more listening history.',

  'history.plays_one': '{{count, number}} play',
  'history.plays_other': '{{count, number}} plays',
  'history.off': 'Listening history is turned off on this bot (the owner set `HISTORY=off`): nothing is recorded or stored.',
  'history.recordingStatus': '🔴 **Recording** your plays from your Discord status. `/history off` stops it.',
  'history.recordingSpotify': '🔴 **Recording** your plays from Spotify. `/history off` stops it.',
  'history.notRecordingStatus': '⏸️ **Not recording.** `/history on` records your plays from your Discord status (Spotify shown as your status).',
  'history.notRecordingSpotify': '⏸️ **Not recording.** `/history on` records your Spotify plays again.',
  'history.title': 'Your listening history',
  'history.none': 'No plays stored yet.',
  'history.stored': '**{{plays}}** stored, since {{day}}.',
  'history.source.spotify-recent': 'Spotify (recently played)',
  'history.source.discord-status': 'Discord status',
  'history.source.import-extended': 'imported (extended streaming history)',
  'history.source.import-account': 'imported (account data)',
  'history.imports': 'Imports',
  'history.importLine': '{{file}} — {{day}}: {{plays}} added',
  'history.importDuplicates': ', {{n, number}} already there',
  'history.onlyMe': 'Privacy: **only me** — you are left out of server views.',
  'history.hint': '`/history import` adds your Spotify data export · `/history export` downloads everything · `/history delete` erases it.',
  'history.onStatus':
    'Recording is **on**: from now on, each track your Discord status shows (Spotify as your status) is kept as a play once you listened to half of it or 4 minutes. `/history off` stops it; `/history delete` erases everything.',
  'history.onSpotify': 'Recording is **on**: your Spotify plays are kept from now on. `/history off` stops it; `/history delete` erases everything.',
  'history.offNow': 'Recording is **off**: nothing new is kept.',
  'history.offKept': 'Recording is **off**: nothing new is kept. Your {{plays}} stay stored until you run `/history delete`.',
  'dm.daysLeft_one': '{{count}} day left',
  'dm.daysLeft_other': '{{count}} days left',
  'dm.ownerExpiry':
    "⚠️ The bot's link to your Spotify account expires on **{{date}}** ({{daysLeft}}; Spotify ends every authorization 6 months after consent).\nRenew it before then: run `/spotify login` here, or `npm run authorize` on the bot's machine and restart it.",
  'dm.memberExpiry':
    '⚠️ Your Spotify link with this bot expires on **{{date}}** ({{daysLeft}}; Spotify ends every authorization 6 months after consent). Run `/spotify link` before then to renew it.',
  'dm.ownerDead':
    "❌ Spotify no longer accepts the bot's authorization (it was revoked, the password changed, or the 6-month lifetime ran out). The bot has stopped asking Spotify and its status is cleared.\nTo fix it: run `/spotify login` here (works from anywhere), or `npm run authorize` on the bot's machine. The bot picks the new authorization up without a restart.",
  'dm.spotifySaid': '(Spotify said: {{description}})',
} as const satisfies Record<string, string>;
