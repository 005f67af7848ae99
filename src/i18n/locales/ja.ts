// 日本語. Keys and placeholders as in en.ts (the source); plurals: other.
import type { Translation } from '../types.js';

export const messages: Translation<'other'> = {
  'common.previous': '◀ 前へ',
  'common.next': '次へ ▶',
  'common.span': '{{total}}件中 {{from}}～{{to}}件目',
  'common.pageSpan': '{{page}}/{{pages}}ページ · {{span}}',
  'common.untitledTrack': 'タイトルなしの曲',
  'common.unknownArtist': '不明なアーティスト',
  'common.localFile': 'ローカルファイル',

  'time.justNow': 'たった今',
  'time.minutesAgo_other': '{{count}}分前',
  'time.hoursAgo_other': '{{count}}時間前',
  'time.yesterday': '昨日',
  'time.daysAgo_other': '{{count}}日前',
  'time.aMoment': '少し',
  'time.inAMoment': '少し待ってから',
  'time.inWait': '{{wait}}後に',
  'time.seconds': '{{n, number}}秒',
  'time.aboutMinutes': '約{{n, number}}分',
  'time.aboutHours': '約{{n, number}}時間',

  'range.short_term': '過去4週間',
  'range.medium_term': '過去6か月',
  'range.long_term': '過去1年',

  'errors.generic': '問題が発生しました。ボットのオーナーはログを確認できます。',
  'errors.invalidClient':
    'Spotify がボットのアプリ認証情報を拒否しました。ボットのオーナーは Spotify のクライアント ID とシークレットを確認してください。',
  'errors.reauthorize': 'ボットのオーナーが Spotify を再認証する必要があります（`npm run authorize`）。',
  'errors.quota': 'ボットは Spotify のリクエスト上限に達しました。{{when}}もう一度お試しください。',
  'errors.rateLimited': 'Spotify がボットのリクエストを制限しています。{{when}}もう一度お試しください。',
  'errors.unavailable': 'Spotify が現在応答していません。少し待ってからもう一度お試しください。',
  'errors.forbidden':
    'Spotify がオーナーのアカウントへのリクエストを拒否しました。Spotify アプリが開発モードの場合、そのアカウントを許可リスト（Spotify ダッシュボードの User Management）に追加する必要があります。また、一部の機能には Premium が必要です。',

  'recent.title': '最近再生した曲',
  'recent.nothing': '最近の再生はありません（すべてプライベートセッションだった可能性もあります）。',

  'top.tracks': 'トップトラック',
  'top.artists': 'トップアーティスト',
  'top.noTracks': 'この期間のトップトラックはまだありません。Spotify にはもう少し再生履歴が必要です。',
  'top.noArtists': 'この期間のトップアーティストはまだいません。Spotify にはもう少し再生履歴が必要です。',
};
