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
};
