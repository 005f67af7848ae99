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

  'history.plays_other': '{{count, number}}回の再生',
  'history.off': 'このボットでは再生履歴がオフになっています（オーナーが `HISTORY=off` を設定）。何も記録・保存されません。',
  'history.recordingStatus': '🔴 Discord のステータスから再生を**記録中**です。`/history off` で停止します。',
  'history.recordingSpotify': '🔴 Spotify から再生を**記録中**です。`/history off` で停止します。',
  'history.notRecordingStatus': '⏸️ **記録していません。** `/history on` で Discord のステータス（Spotify 表示時）から再生を記録します。',
  'history.notRecordingSpotify': '⏸️ **記録していません。** `/history on` で Spotify の再生の記録を再開します。',
  'history.title': 'あなたの再生履歴',
  'history.none': '保存されている再生はまだありません。',
  'history.stored': '{{day}}以降、**{{plays}}**を保存しています。',
  'history.source.spotify-recent': 'Spotify（最近再生した曲）',
  'history.source.discord-status': 'Discord のステータス',
  'history.source.import-extended': 'インポート（詳細なストリーミング履歴）',
  'history.source.import-account': 'インポート（アカウントデータ）',
  'history.imports': 'インポート',
  'history.importLine': '{{file}} — {{day}}：{{plays}}を追加',
  'history.importDuplicates': '、{{n, number}}件は登録済み',
  'history.onlyMe': 'プライバシー：**自分のみ**。サーバーの集計には含まれません。',
  'history.hint': '`/history import` で Spotify のデータエクスポートを追加 · `/history export` ですべてダウンロード · `/history delete` で削除',
  'history.onStatus':
    '記録を**オン**にしました。これからは Discord のステータス（Spotify 表示）に出た曲を、半分または4分聴いた時点で再生として保存します。`/history off` で停止、`/history delete` ですべて削除します。',
  'history.onSpotify': '記録を**オン**にしました。これから Spotify の再生を保存します。`/history off` で停止、`/history delete` ですべて削除します。',
  'history.offNow': '記録を**オフ**にしました。新しい再生は保存されません。',
  'history.offKept': '記録を**オフ**にしました。新しい再生は保存されません。保存済みの{{plays}}は `/history delete` を実行するまで残ります。',
  'dm.daysLeft_other': '残り{{count}}日',
  'dm.ownerExpiry':
    '⚠️ ボットと Spotify アカウントの連携は **{{date}}** に期限切れになります（{{daysLeft}}。Spotify は同意から6か月ですべての認可を終了します）。\nそれまでに更新してください：ここで `/spotify login` を実行するか、ボットのマシンで `npm run authorize` を実行して再起動します。',
  'dm.memberExpiry':
    '⚠️ このボットとの Spotify 連携は **{{date}}** に期限切れになります（{{daysLeft}}。Spotify は同意から6か月ですべての認可を終了します）。それまでに `/spotify link` を実行して更新してください。',
  'dm.ownerDead':
    '❌ Spotify がボットの認可を受け付けなくなりました（取り消された、パスワードが変更された、または6か月の期限が切れました）。ボットは Spotify への問い合わせを止め、ステータスを消去しました。\n直すには：ここで `/spotify login` を実行する（どこからでも可）か、ボットのマシンで `npm run authorize` を実行します。新しい認可は再起動なしで反映されます。',
  'dm.spotifySaid': '（Spotify からの応答：{{description}}）',
  'announce.openInSpotify': 'Spotify で開く',
  'announce.nowPlaying': '🎵 再生中',
  'announce.nowPlayingEpisode': '🎙️ 再生中 · ポッドキャストのエピソード',
  'announce.by': 'アーティスト：{{artists}}',
  'announce.on': 'アルバム：{{album}}',
  'announce.from': '番組：{{show}}',
  'announce.untitled': 'タイトルなし',
  'announce.statusOff': '📣 このサーバーではお知らせはオフです。`/announce channel:#チャンネル` でオーナーの新しい曲をそこに投稿します。',
  'announce.statusOn': '📣 オーナーの新しい曲を {{channel}} に投稿しています（{{setBy}} が{{when}}に設定）。`/announce off:True` で停止します。',
  'announce.set':
    '📣 オーナーの次の曲から、新しい曲を {{channel}} に投稿します。すぐにスキップした場合は新しく投稿せず直前の投稿を編集し、一時停止中は何も投稿しません。`/announce off:True` で停止します。',
  'announce.offNow': '📣 お知らせをオフにしました。このサーバーにはもう投稿しません。',
  'announce.alreadyOff': '📣 このサーバーではお知らせはすでにオフです。',
  'announce.cantPost': '⚠️ {{channel}} に投稿できません：そこでの {{missing}} の権限がありません。権限を付与するか、別のチャンネルを選んでください。',
  'announce.notText': '⚠️ それは、このサーバーで私が見られるテキストチャンネルではありません。',
  'announce.both': '⚠️ チャンネルか `off:True` のどちらか一方を指定してください。',
  'announce.stopped':
    '📣 **{{guild}}** の {{channel}} へのオーナーの曲の投稿を停止しました：{{why}}。そのサーバーのお知らせはオフになりました。そのサーバーで `/announce channel:#チャンネル` を実行すると再開します。',
  'announce.whyDeleted': 'チャンネルが削除されました',
  'announce.whyForbidden': 'そこに投稿する権限がなくなりました（チャンネルを見る / メッセージを送信）',
  'announce.notHere': '/announce はボットが参加しているサーバーで使えます。',
};
