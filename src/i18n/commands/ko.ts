// 한국어: command names and descriptions, by the English names (see ../command-texts.ts).
import type { CommandsFile, OptionTexts } from '../command-texts.js';

/** Made at each command sync and let go after it (the texts are not kept in memory). */
export function commands(): CommandsFile['commands'] {
  const range: OptionTexts = {
    name: '기간',
    description: '어느 기간인지 (기본값: 최근 4주)',
    choices: { short_term: '최근 4주', medium_term: '최근 6개월', long_term: '최근 1년' },
  };
  const period: OptionTexts = {
    name: '기간',
    description: '어느 기간인지 (기본값: 최근 30일)',
    choices: { week: '최근 7일', month: '최근 30일', year: '최근 365일', all: '전체 기간' },
  };
  const limit: OptionTexts = { name: '개수', description: '표시할 개수, 1–50 (기본값: 10)' };
  const whose = (what: string): OptionTexts => ({
    name: '사용자',
    description: `${what} (기본값: Spotify를 연결했다면 내 것, 아니면 봇 소유자의 것)`,
  });

  return {
    nowplaying: {
      name: '지금-재생-중',
      description: '나, 멤버 또는 봇 소유자가 지금 Spotify에서 듣고 있는 곡을 보여 줍니다',
      options: {
        user: { name: '사용자', description: '누구의 곡인지 (기본값: 연결했거나 상태에 보이면 나, 아니면 봇 소유자)' },
        style: {
          name: '스타일',
          description: '카드(텍스트가 들어간 이미지, 기본값) 또는 텍스트만',
          choices: { card: '카드 (텍스트가 들어간 이미지)', text: '텍스트만' },
        },
      },
    },
    listening: { name: '듣는-중', description: '이 서버에서 지금 Spotify를 듣고 있는 사람을 보여 줍니다' },
    recent: {
      name: '최근-재생',
      description: '나(또는 멤버, 봇 소유자)가 Spotify에서 최근에 재생한 곡을 보여 줍니다',
      options: { limit: { name: '개수', description: '표시할 곡 수, 1–50 (기본값: 10)' }, user: whose('누구의 재생 기록인지') },
    },
    toptracks: {
      name: '인기-트랙',
      description: '봇 소유자가 Spotify에서 가장 많이 들은 곡을 보여 줍니다',
      options: { range, limit, user: whose('누구의 목록인지') },
    },
    topartists: {
      name: '인기-아티스트',
      description: '봇 소유자가 Spotify에서 가장 많이 들은 아티스트를 보여 줍니다',
      options: { range, limit, user: whose('누구의 목록인지') },
    },
    chart: {
      name: '차트',
      description: 'Spotify에서 가장 많이 들은 앨범, 곡 또는 아티스트의 커버를 모은 격자 이미지',
      options: {
        kind: {
          name: '종류',
          description: '앨범(기본값), 곡 또는 아티스트',
          choices: { albums: '앨범 (인기 트랙 기준)', tracks: '곡', artists: '아티스트' },
        },
        range,
        size: { name: '크기', description: '3×3(기본값), 4×4 또는 5×5', choices: { '3x3': '3×3', '4x4': '4×4', '5x5': '5×5' } },
        user: whose('누구의 차트인지'),
        period: { ...period, name: '기록-기간', description: 'Spotify 대신 저장된 감상 기록에서 이 기간으로' },
      },
    },
    stats: {
      name: '통계',
      description: '저장된 기록으로 본 감상 통계: 재생 수, 시간, 인기 아티스트·곡·앨범과 이미지',
      options: { user: { name: '사용자', description: '누구의 통계인지 (기본값: 나)' }, period },
    },
    serverstats: {
      name: '서버-통계',
      description: '저장된 기록으로 본 이 서버의 감상 통계와 가장 많이 듣는 멤버',
      options: { period },
    },
    history: {
      name: '재생-기록',
      description: '내 감상 기록: 기록 설정, Spotify 데이터 가져오기, 내보내기, 삭제',
      options: {
        status: { name: '상태', description: '재생이 기록되고 있는지, 저장된 재생이 몇 개인지' },
        on: { name: '켜기', description: '재생을 기록합니다 (Spotify를 연결하지 않았다면 Discord 상태에서)' },
        off: { name: '끄기', description: '기록을 멈춥니다 (저장된 기록은 /history delete 전까지 남습니다)' },
        import: {
          name: '가져오기',
          description: 'Spotify 데이터 내보내기 파일을 추가합니다 (my_spotify_data.zip 또는 Streaming_History JSON)',
          options: { file: { name: '파일', description: 'my_spotify_data.zip 또는 그 안의 재생 기록 JSON 파일' } },
        },
        export: { name: '내보내기', description: '봇이 저장한 내 재생을 모두 JSON 파일로 내려받습니다' },
        delete: { name: '삭제', description: '봇이 저장한 내 감상 기록을 모두 삭제합니다' },
      },
    },
    spotify: {
      name: 'spotify',
      description: '내 Spotify 계정을 봇에 연결하거나 연결을 관리합니다',
      options: {
        link: { name: '연결', description: '내 Spotify 계정을 연결합니다 (그러면 /nowplaying, /toptracks 등에 내 정보가 나옵니다)' },
        privacy: {
          name: '공개-설정',
          description: '내 감상 정보를 볼 수 있는 사람을 선택합니다',
          options: {
            visibility: {
              name: '공개-범위',
              description: '볼 수 있는 사람',
              choices: { server: '함께 있는 서버의 멤버', private: '나만 보기' },
            },
          },
        },
        unlink: {
          name: '연결-해제',
          description: '봇이 내 Spotify 계정에 대해 저장한 모든 정보를 삭제합니다',
          options: { member: { name: '멤버', description: '봇 소유자: 대신 이 멤버의 Spotify 연결을 해제합니다' } },
        },
        login: { name: '로그인', description: '봇 소유자: 봇 자체의 Spotify 계정을 연결하거나 다시 연결합니다' },
        status: { name: '상태', description: '봇 소유자: Spotify 연결 상태와 사용 중인 자리' },
      },
    },
    announce: {
      name: '알림',
      description: '봇 소유자의 새 곡을 이 서버의 채널에 게시합니다',
      options: {
        channel: { name: '채널', description: '새 곡을 게시할 곳' },
        off: { name: '끄기', description: '게시를 멈춥니다' },
      },
    },
    // ── whoknows, taste, wrapped, recap ──
    whoknows: {
      name: '누가-들었나',
      description: '이 서버에서 가장 많이 들은 사람(전체 기간, 저장된 기록 기준)',
      options: {
        artist: { name: '아티스트', description: '이 서버에서 아티스트를 가장 많이 들은 사람', options: { name: { name: '이름', description: '어떤 것인지(기본값: 지금 듣고 있는 것)' } } },
        track: { name: '곡', description: '이 서버에서 곡을 가장 많이 들은 사람', options: { name: { name: '이름', description: '어떤 것인지(기본값: 지금 듣고 있는 것)' } } },
        album: { name: '앨범', description: '이 서버에서 앨범을 가장 많이 들은 사람', options: { name: { name: '이름', description: '어떤 것인지(기본값: 지금 듣고 있는 것)' } } },
      },
    },
    taste: {
      name: '취향-비교',
      description: '내 감상이 멤버와 얼마나 겹치는지: 점수, 공통 아티스트, 추천',
      options: {
        user: { name: '멤버', description: '내 감상과 비교할 멤버' },
        period: { ...period, description: '어느 기간인지(기본값: 전체 기간)' },
      },
    },
    wrapped: {
      name: '연말결산',
      description: '저장된 기록으로 만든 1년의 감상을 세로로 긴 이미지 한 장에: 시간, 인기 아티스트, 곡, 최고 기록',
      options: {
        year: { name: '연도', description: '어느 해인지(기본값: 올해)' },
        user: { name: '멤버', description: '누구의 1년인지(기본값: 나)' },
      },
    },
    recap: {
      name: '주간-요약',
      description: '이 서버의 주간 감상 요약을 채널에 올려요',
      options: {
        channel: { name: '채널', description: '매주 요약을 올릴 곳' },
        off: { name: '끄기', description: '요약 올리기를 멈춰요' },
      },
    },
    // ── views ──
    serverchart: {
      name: '서버-차트',
      description: '이 서버에서 가장 많이 들은 앨범, 곡 또는 아티스트의 커버를 모은 격자 이미지(저장된 기록)',
      options: {
        kind: { name: '종류', description: '앨범(기본값), 곡 또는 아티스트', choices: { albums: '앨범', tracks: '곡', artists: '아티스트' } },
        period,
        size: { name: '크기', description: '3×3(기본값), 4×4 또는 5×5', choices: { '3x3': '3×3', '4x4': '4×4', '5x5': '5×5' } },
      },
    },
  };
}
