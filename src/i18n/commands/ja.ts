// 日本語: command names and descriptions, by the English names (see ../command-texts.ts).
import type { CommandsFile, OptionTexts } from '../command-texts.js';

/** Made at each command sync and let go after it (the texts are not kept in memory). */
export function commands(): CommandsFile['commands'] {
  const range: OptionTexts = {
    name: '期間',
    description: '対象の期間（既定: 過去4週間）',
    choices: { short_term: '過去4週間', medium_term: '過去6か月', long_term: '過去1年' },
  };
  const period: OptionTexts = {
    name: '期間',
    description: '対象の期間（既定: 過去30日）',
    choices: { week: '過去7日', month: '過去30日', year: '過去365日', all: '全期間' },
  };
  const limit: OptionTexts = { name: '件数', description: '表示する件数、1～50（既定: 10）' };
  const whose = (what: string): OptionTexts => ({
    name: 'ユーザー',
    description: `${what}（既定: Spotify を連携していればあなた、そうでなければボットのオーナー）`,
  });

  return {
    nowplaying: {
      name: '再生中',
      description: 'あなた、メンバー、またはボットのオーナーが今 Spotify で聴いている曲を表示します',
      options: {
        user: { name: 'ユーザー', description: '誰の再生か（既定: 連携済みかステータスに表示されていればあなた、なければオーナー）' },
        style: {
          name: 'スタイル',
          description: 'カード（テキスト付きの画像、既定）またはテキストのみ',
          choices: { card: 'カード（テキスト付きの画像）', text: 'テキストのみ' },
        },
      },
    },
    listening: { name: '聴いている人', description: 'このサーバーで今 Spotify を聴いている人を表示します' },
    recent: {
      name: '最近の再生',
      description: 'あなた（またはメンバー、ボットのオーナー）が Spotify で最近再生した曲を表示します',
      options: { limit: { name: '件数', description: '表示する曲数、1～50（既定: 10）' }, user: whose('誰の再生履歴か') },
    },
    toptracks: {
      name: 'トップトラック',
      description: 'ボットのオーナーが Spotify でよく聴いている曲を表示します',
      options: { range, limit, user: whose('誰のリストか') },
    },
    topartists: {
      name: 'トップアーティスト',
      description: 'ボットのオーナーが Spotify でよく聴いているアーティストを表示します',
      options: { range, limit, user: whose('誰のリストか') },
    },
    chart: {
      name: 'チャート',
      description: 'Spotify でよく聴いているアルバム、曲、アーティストのジャケットを並べた画像',
      options: {
        kind: {
          name: '種類',
          description: 'アルバム（既定）、曲、アーティスト',
          choices: { albums: 'アルバム（トップトラックから）', tracks: '曲', artists: 'アーティスト' },
        },
        range,
        size: { name: 'サイズ', description: '3×3（既定）、4×4、5×5', choices: { '3x3': '3×3', '4x4': '4×4', '5x5': '5×5' } },
        user: whose('誰のチャートか'),
        period: { ...period, name: '履歴期間', description: '保存された再生履歴のこの期間から作成（Spotify の代わりに）' },
      },
    },
    stats: {
      name: '統計',
      description: '保存された履歴からの再生統計：再生回数、時間、トップのアーティスト・曲・アルバム、画像',
      options: { user: { name: 'ユーザー', description: '誰の統計か（既定: あなた）' }, period },
    },
    serverstats: {
      name: 'サーバー統計',
      description: '保存された履歴から見たこのサーバーの再生統計と、よく聴いているメンバー',
      options: { period },
    },
    history: {
      name: '再生履歴',
      description: 'あなたの再生履歴：記録、Spotify データのインポート、エクスポート、削除',
      options: {
        status: { name: '状態', description: '再生が記録されているかどうかと、保存されている件数' },
        on: { name: 'オン', description: '再生を記録します（Spotify 未連携なら Discord のステータスから）' },
        off: { name: 'オフ', description: '記録を止めます（保存済みのデータは /history delete まで残ります）' },
        import: {
          name: 'インポート',
          description: 'Spotify のデータエクスポートを追加します（my_spotify_data.zip または Streaming_History の JSON）',
          options: { file: { name: 'ファイル', description: 'my_spotify_data.zip、またはその中の再生履歴 JSON ファイル' } },
        },
        export: { name: 'エクスポート', description: 'ボットが保存しているあなたの再生をすべて JSON ファイルでダウンロードします' },
        delete: { name: '削除', description: 'ボットが保存しているあなたの再生履歴をすべて削除します' },
      },
    },
    spotify: {
      name: 'spotify',
      description: '自分の Spotify アカウントをボットに連携する、または連携を管理します',
      options: {
        link: { name: '連携', description: '自分の Spotify アカウントを連携します（/nowplaying や /toptracks にあなたの情報が表示されます）' },
        privacy: {
          name: 'プライバシー',
          description: '再生状況を見られる人を選びます',
          options: {
            visibility: {
              name: '公開範囲',
              description: '見られる人',
              choices: { server: '共通のサーバーのメンバー', private: '自分のみ' },
            },
          },
        },
        unlink: {
          name: '連携解除',
          description: 'ボットが保存しているあなたの Spotify アカウントの情報をすべて削除します',
          options: { member: { name: 'メンバー', description: 'ボットのオーナー用：代わりにこのメンバーの Spotify 連携を解除します' } },
        },
        login: { name: 'ログイン', description: 'ボットのオーナー用：ボット自身の Spotify アカウントを連携（再連携）します' },
        status: { name: '状態', description: 'ボットのオーナー用：Spotify 連携の状態と使用中の枠' },
      },
    },
    announce: {
      name: 'お知らせ',
      description: 'ボットのオーナーの新しい曲をこのサーバーのチャンネルに投稿します',
      options: {
        channel: { name: 'チャンネル', description: '新しい曲を投稿する場所' },
        off: { name: 'オフ', description: '投稿をやめます' },
      },
    },
    // ── whoknows, taste, wrapped, recap ──
    whoknows: {
      name: '誰が聴いてる',
      description: 'このサーバーで一番聴いているのは誰か（全期間、保存された履歴から）',
      options: {
        artist: { name: 'アーティスト', description: 'このサーバーでそのアーティストを一番聴いているのは誰か', options: { name: { name: '名前', description: 'どれにするか（既定: 今再生中のもの）' } } },
        track: { name: '曲', description: 'このサーバーでその曲を一番聴いているのは誰か', options: { name: { name: '名前', description: 'どれにするか（既定: 今再生中のもの）' } } },
        album: { name: 'アルバム', description: 'このサーバーでそのアルバムを一番聴いているのは誰か', options: { name: { name: '名前', description: 'どれにするか（既定: 今再生中のもの）' } } },
      },
    },
    taste: {
      name: '好みの一致',
      description: 'あなたとメンバーの再生がどれだけ重なるか: スコア、共通のアーティスト、おすすめ',
      options: {
        user: { name: 'メンバー', description: 'あなたと比べる相手' },
        period: { ...period, description: 'どの期間か（既定: 全期間）' },
      },
    },
    wrapped: {
      name: '年間まとめ',
      description: '保存された履歴から1年分の再生を縦長の画像に: 再生時間、トップアーティスト、曲、ピーク',
      options: {
        year: { name: '年', description: 'どの年か（既定: 今年）' },
        user: { name: 'メンバー', description: '誰の1年か（既定: あなた）' },
      },
    },
    recap: {
      name: '週間まとめ',
      description: 'このサーバーの週間再生まとめをチャンネルに投稿します',
      options: {
        channel: { name: 'チャンネル', description: '毎週まとめを投稿する場所' },
        off: { name: 'オフ', description: 'まとめの投稿をやめる' },
      },
    },
    // ── views ──
    serverchart: {
      name: 'サーバーチャート',
      description: 'このサーバーでよく聴かれたアルバム、曲、アーティストのジャケットを並べた画像（保存された履歴）',
      options: {
        kind: { name: '種類', description: 'アルバム（既定）、曲、アーティスト', choices: { albums: 'アルバム', tracks: '曲', artists: 'アーティスト' } },
        period,
        size: { name: 'サイズ', description: '3×3（既定）、4×4、5×5', choices: { '3x3': '3×3', '4x4': '4×4', '5x5': '5×5' } },
      },
    },
  };
}
