// 简体中文: command names and descriptions, by the English names (see ../command-texts.ts).
import type { CommandsFile, OptionTexts } from '../command-texts.js';

/** Made at each command sync and let go after it (the texts are not kept in memory). */
export function commands(): CommandsFile['commands'] {
  const range: OptionTexts = {
    name: '时间范围',
    description: '哪个时间段（默认：最近 4 周）',
    choices: { short_term: '最近 4 周', medium_term: '最近 6 个月', long_term: '最近一年' },
  };
  const period: OptionTexts = {
    name: '时间段',
    description: '哪个时间段（默认：最近 30 天）',
    choices: { week: '最近 7 天', month: '最近 30 天', year: '最近 365 天', all: '全部时间' },
  };
  const limit: OptionTexts = { name: '数量', description: '显示多少条，1–50（默认 10）' };
  const whose = (what: string): OptionTexts => ({
    name: '用户',
    description: `${what}（默认：已关联 Spotify 则为你自己，否则为机器人所有者）`,
  });

  return {
    nowplaying: {
      name: '正在播放',
      description: '显示你、某位成员或机器人所有者此刻在 Spotify 上听的歌',
      options: {
        user: { name: '用户', description: '看谁的（默认：已关联或状态中显示则为你自己，否则为所有者）' },
        style: {
          name: '样式',
          description: '卡片（带文字的图片，默认）或纯文字',
          choices: { card: '卡片（带文字的图片）', text: '纯文字' },
        },
      },
    },
    listening: { name: '谁在听', description: '显示此服务器中正在听 Spotify 的人' },
    recent: {
      name: '最近播放',
      description: '显示你（或某位成员、机器人所有者）最近在 Spotify 上播放的歌曲',
      options: { limit: { name: '数量', description: '列出多少首，1–50（默认 10）' }, user: whose('看谁的播放记录') },
    },
    toptracks: {
      name: '热门曲目',
      description: '显示机器人所有者在 Spotify 上最常听的曲目',
      options: { range, limit, user: whose('看谁的榜单') },
    },
    topartists: {
      name: '热门艺人',
      description: '显示机器人所有者在 Spotify 上最常听的艺人',
      options: { range, limit, user: whose('看谁的榜单') },
    },
    chart: {
      name: '封面墙',
      description: '由 Spotify 上最常听的专辑、曲目或艺人封面拼成的图',
      options: {
        kind: {
          name: '类型',
          description: '专辑（默认）、曲目或艺人',
          choices: { albums: '专辑（来自你的热门曲目）', tracks: '曲目', artists: '艺人' },
        },
        range,
        size: { name: '尺寸', description: '3×3（默认）、4×4 或 5×5', choices: { '3x3': '3×3', '4x4': '4×4', '5x5': '5×5' } },
        user: whose('看谁的封面墙'),
        period: { ...period, name: '历史时段', description: '改用已保存的收听记录中这段时间的数据（而不是 Spotify）' },
      },
    },
    stats: {
      name: '统计',
      description: '根据已保存的记录统计收听情况：播放次数、时长、热门艺人/曲目/专辑，以及一张图',
      options: { user: { name: '用户', description: '看谁的统计（默认：你自己）' }, period },
    },
    serverstats: {
      name: '服务器统计',
      description: '根据已保存的记录统计本服务器的收听情况，以及听得最多的成员',
      options: { period },
    },
    history: {
      name: '收听记录',
      description: '你的收听记录：记录开关、导入 Spotify 数据、导出、删除',
      options: {
        status: { name: '状态', description: '是否正在记录你的播放，以及已保存多少条' },
        on: { name: '开启', description: '记录你的播放（未关联 Spotify 时从你的 Discord 状态记录）' },
        off: { name: '关闭', description: '停止记录（已保存的内容保留到 /history delete 为止）' },
        import: {
          name: '导入',
          description: '添加你的 Spotify 数据导出（my_spotify_data.zip 或 Streaming_History JSON 文件）',
          options: { file: { name: '文件', description: 'my_spotify_data.zip，或其中的一个播放记录 JSON 文件' } },
        },
        export: { name: '导出', description: '以 JSON 文件下载机器人为你保存的所有播放记录' },
        delete: { name: '删除', description: '删除机器人保存的关于你的全部收听记录' },
      },
    },
    spotify: {
      name: 'spotify',
      description: '将你自己的 Spotify 账号关联到机器人，或管理关联',
      options: {
        link: { name: '关联', description: '关联你自己的 Spotify 账号（之后 /nowplaying、/toptracks 等显示你的内容）' },
        privacy: {
          name: '隐私',
          description: '选择谁可以看到你在听什么',
          options: {
            visibility: {
              name: '可见范围',
              description: '谁可以看到',
              choices: { server: '我们共同所在服务器的成员', private: '仅自己' },
            },
          },
        },
        unlink: {
          name: '取消关联',
          description: '删除机器人为你的 Spotify 账号保存的全部内容',
          options: { member: { name: '成员', description: '机器人所有者：改为取消该成员的 Spotify 关联' } },
        },
        login: { name: '登录', description: '机器人所有者：关联或重新关联机器人自己的 Spotify 账号' },
        status: { name: '状态', description: '机器人所有者：Spotify 关联的状态和已占用的名额' },
      },
    },
    announce: {
      name: '播报',
      description: '把机器人所有者的新歌发到此服务器的一个频道',
      options: {
        channel: { name: '频道', description: '每首新歌发到哪里' },
        off: { name: '关闭', description: '停止发布' },
      },
    },
    // ── whoknows, taste, wrapped, recap ──
    whoknows: {
      name: '谁最常听',
      description: '本服务器中谁听得最多（全部时间，来自保存的历史）',
      options: {
        artist: { name: '艺人', description: '本服务器中谁最常听某位艺人', options: { name: { name: '名称', description: '哪一个（默认：你正在播放的）' } } },
        track: { name: '歌曲', description: '本服务器中谁最常听某首歌', options: { name: { name: '名称', description: '哪一个（默认：你正在播放的）' } } },
        album: { name: '专辑', description: '本服务器中谁最常听某张专辑', options: { name: { name: '名称', description: '哪一个（默认：你正在播放的）' } } },
      },
    },
    taste: {
      name: '品味契合',
      description: '你和某位成员的收听有多少重合：分数、共同艺人和推荐',
      options: {
        user: { name: '成员', description: '和谁的收听比较' },
        period: { ...period, description: '哪个时间段（默认：全部时间）' },
      },
    },
    wrapped: {
      name: '年度回顾',
      description: '用保存的历史把一年的收听做成一张长图：分钟数、最常听的艺人、歌曲、高峰',
      options: {
        year: { name: '年份', description: '哪一年（默认：今年）' },
        user: { name: '成员', description: '谁的一年（默认：你的）' },
      },
    },
    recap: {
      name: '每周回顾',
      description: '把本服务器的每周收听回顾发布到一个频道',
      options: {
        channel: { name: '频道', description: '每周发布回顾的地方' },
        off: { name: '关闭', description: '停止发布回顾' },
      },
    },
    // ── views ──
    serverchart: {
      name: '服务器封面墙',
      description: '由本服务器最常听的专辑、曲目或艺人封面拼成的图（已保存的记录）',
      options: {
        kind: { name: '类型', description: '专辑（默认）、曲目或艺人', choices: { albums: '专辑', tracks: '曲目', artists: '艺人' } },
        period,
        size: { name: '尺寸', description: '3×3（默认）、4×4 或 5×5', choices: { '3x3': '3×3', '4x4': '4×4', '5x5': '5×5' } },
      },
    },
  };
}
