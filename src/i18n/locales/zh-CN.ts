// 简体中文. Keys and placeholders as in en.ts (the source); plurals: other.
import type { Translation } from '../types.js';

export const messages: Translation<'other'> = {
  'common.previous': '◀ 上一页',
  'common.next': '下一页 ▶',
  'common.span': '第 {{from}}–{{to}} 条，共 {{total}} 条',
  'common.pageSpan': '第 {{page}}/{{pages}} 页 · {{span}}',
  'common.untitledTrack': '无标题曲目',
  'common.unknownArtist': '未知艺人',
  'common.localFile': '本地文件',

  'time.justNow': '刚刚',
  'time.minutesAgo_other': '{{count}} 分钟前',
  'time.hoursAgo_other': '{{count}} 小时前',
  'time.yesterday': '昨天',
  'time.daysAgo_other': '{{count}} 天前',
  'time.aMoment': '片刻',
  'time.inAMoment': '稍后',
  'time.inWait': '{{wait}}后',
  'time.seconds': '{{n, number}} 秒',
  'time.aboutMinutes': '约 {{n, number}} 分钟',
  'time.aboutHours': '约 {{n, number}} 小时',

  'range.short_term': '最近 4 周',
  'range.medium_term': '最近 6 个月',
  'range.long_term': '最近一年',

  'errors.generic': '出了点问题。机器人所有者可以查看日志。',
  'errors.invalidClient': 'Spotify 拒绝了机器人的应用凭据，机器人所有者需要检查 Spotify 客户端 ID 和密钥。',
  'errors.reauthorize': '机器人所有者需要重新授权 Spotify（`npm run authorize`）。',
  'errors.quota': '机器人暂时用完了 Spotify 请求配额，请{{when}}再试。',
  'errors.rateLimited': 'Spotify 正在限制机器人的请求，请{{when}}再试。',
  'errors.unavailable': 'Spotify 暂时没有响应，请稍后再试。',
  'errors.forbidden':
    'Spotify 拒绝了对所有者账号的请求。如果 Spotify 应用处于开发模式，该账号必须在其允许列表中（Spotify 控制台的 User Management），并且部分功能需要 Premium。',

  'recent.title': '最近播放',
  'recent.nothing': '最近没有播放记录，也可能都是在私密会话中播放的。',

  'top.tracks': '热门曲目',
  'top.artists': '热门艺人',
  'top.noTracks': '这段时间还没有热门曲目，Spotify 需要更多的收听记录。',
  'top.noArtists': '这段时间还没有热门艺人，Spotify 需要更多的收听记录。',

  'history.plays_other': '{{count, number}} 次播放',
  'history.off': '此机器人已关闭收听记录（所有者设置了 `HISTORY=off`）：不会记录或保存任何内容。',
  'history.recordingStatus': '🔴 **正在记录**你的 Discord 状态中的播放。`/history off` 可停止。',
  'history.recordingSpotify': '🔴 **正在记录**你在 Spotify 上的播放。`/history off` 可停止。',
  'history.notRecordingStatus': '⏸️ **未在记录。** `/history on` 会从你的 Discord 状态（显示 Spotify 时）记录播放。',
  'history.notRecordingSpotify': '⏸️ **未在记录。** `/history on` 会重新记录你的 Spotify 播放。',
  'history.title': '你的收听记录',
  'history.none': '还没有保存任何播放。',
  'history.stored': '自 {{day}} 起已保存 **{{plays}}**。',
  'history.source.spotify-recent': 'Spotify（最近播放）',
  'history.source.discord-status': 'Discord 状态',
  'history.source.import-extended': '导入（扩展播放记录）',
  'history.source.import-account': '导入（账号数据）',
  'history.imports': '导入记录',
  'history.importLine': '{{file}} — {{day}}：新增 {{plays}}',
  'history.importDuplicates': '，{{n, number}} 条已存在',
  'history.onlyMe': '隐私：**仅自己**，你不会出现在服务器统计中。',
  'history.hint': '`/history import` 添加 Spotify 数据导出 · `/history export` 下载全部 · `/history delete` 全部删除',
  'history.onStatus':
    '记录已**开启**：从现在起，你的 Discord 状态（以 Spotify 为状态）显示的每首歌，听满一半或 4 分钟后就会保存为一次播放。`/history off` 可停止；`/history delete` 可全部删除。',
  'history.onSpotify': '记录已**开启**：从现在起会保存你的 Spotify 播放。`/history off` 可停止；`/history delete` 可全部删除。',
  'history.offNow': '记录已**关闭**：不再保存新的播放。',
  'history.offKept': '记录已**关闭**：不再保存新的播放。已保存的 {{plays}} 会保留到你运行 `/history delete` 为止。',
  'dm.daysLeft_other': '还剩 {{count}} 天',
  'dm.ownerExpiry':
    '⚠️ 机器人与你的 Spotify 账号的关联将于 **{{date}}** 到期（{{daysLeft}}；Spotify 会在同意授权 6 个月后终止每一次授权）。\n请在此之前续期：在这里运行 `/spotify login`，或在机器人所在的机器上运行 `npm run authorize` 并重启机器人。',
  'dm.memberExpiry':
    '⚠️ 你与此机器人的 Spotify 关联将于 **{{date}}** 到期（{{daysLeft}}；Spotify 会在同意授权 6 个月后终止每一次授权）。请在此之前运行 `/spotify link` 续期。',
  'dm.ownerDead':
    '❌ Spotify 不再接受机器人的授权（授权已被撤销、密码已更改，或 6 个月期限已到）。机器人已停止请求 Spotify，并清除了状态。\n修复方法：在这里运行 `/spotify login`（任何地方都可以），或在机器人所在的机器上运行 `npm run authorize`。机器人无需重启即可使用新的授权。',
  'dm.spotifySaid': '（Spotify 的说明：{{description}}）',
};
