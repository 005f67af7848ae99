// 한국어. Keys and placeholders as in en.ts (the source); plurals: other.
import type { Translation } from '../types.js';

export const messages: Translation<'other'> = {
  'common.previous': '◀ 이전',
  'common.next': '다음 ▶',
  'common.span': '{{total}}개 중 {{from}}–{{to}}',
  'common.pageSpan': '{{page}}/{{pages}} 페이지 · {{span}}',
  'common.untitledTrack': '제목 없는 곡',
  'common.unknownArtist': '알 수 없는 아티스트',
  'common.localFile': '로컬 파일',

  'time.justNow': '방금',
  'time.minutesAgo_other': '{{count}}분 전',
  'time.hoursAgo_other': '{{count}}시간 전',
  'time.yesterday': '어제',
  'time.daysAgo_other': '{{count}}일 전',
  'time.aMoment': '잠시',
  'time.inAMoment': '잠시 후',
  'time.inWait': '{{wait}} 후',
  'time.seconds': '{{n, number}}초',
  'time.aboutMinutes': '약 {{n, number}}분',
  'time.aboutHours': '약 {{n, number}}시간',

  'range.short_term': '최근 4주',
  'range.medium_term': '최근 6개월',
  'range.long_term': '최근 1년',

  'errors.generic': '문제가 발생했습니다. 봇 소유자가 로그를 확인할 수 있습니다.',
  'errors.invalidClient':
    'Spotify가 봇의 앱 자격 증명을 거부했습니다. 봇 소유자가 Spotify 클라이언트 ID와 시크릿을 확인해야 합니다.',
  'errors.reauthorize': '봇 소유자가 Spotify를 다시 인증해야 합니다(`npm run authorize`).',
  'errors.quota': '봇이 현재 Spotify 요청 한도를 모두 사용했습니다. {{when}} 다시 시도해 주세요.',
  'errors.rateLimited': 'Spotify가 봇의 요청을 제한하고 있습니다. {{when}} 다시 시도해 주세요.',
  'errors.unavailable': '지금은 Spotify가 응답하지 않습니다. 잠시 후 다시 시도해 주세요.',
  'errors.forbidden':
    'Spotify가 소유자 계정에 대한 요청을 거부했습니다. Spotify 앱이 개발 모드라면 해당 계정이 허용 목록(Spotify 대시보드의 User Management)에 있어야 하며, 일부 기능은 Premium이 필요합니다.',

  'recent.title': '최근 재생한 곡',
  'recent.nothing': '최근에 재생한 곡이 없습니다. 모두 비공개 세션에서 재생했을 수도 있습니다.',

  'top.tracks': '인기 트랙',
  'top.artists': '인기 아티스트',
  'top.noTracks': '이 기간의 인기 트랙이 아직 없습니다. Spotify에 재생 기록이 조금 더 필요합니다.',
  'top.noArtists': '이 기간의 인기 아티스트가 아직 없습니다. Spotify에 재생 기록이 조금 더 필요합니다.',

  'history.plays_other': '{{count, number}}회 재생',
  'history.off': '이 봇에서는 감상 기록이 꺼져 있습니다(소유자가 `HISTORY=off`로 설정). 아무것도 기록하거나 저장하지 않습니다.',
  'history.recordingStatus': '🔴 Discord 상태에서 재생을 **기록 중**입니다. `/history off`로 멈출 수 있습니다.',
  'history.recordingSpotify': '🔴 Spotify에서 재생을 **기록 중**입니다. `/history off`로 멈출 수 있습니다.',
  'history.notRecordingStatus': '⏸️ **기록하지 않는 중.** `/history on`을 쓰면 Discord 상태(Spotify 표시)에서 재생을 기록합니다.',
  'history.notRecordingSpotify': '⏸️ **기록하지 않는 중.** `/history on`을 쓰면 Spotify 재생을 다시 기록합니다.',
  'history.title': '내 감상 기록',
  'history.none': '아직 저장된 재생이 없습니다.',
  'history.stored': '{{day}}부터 저장됨: **{{plays}}**',
  'history.source.spotify-recent': 'Spotify (최근 재생)',
  'history.source.discord-status': 'Discord 상태',
  'history.source.import-extended': '가져옴 (확장 스트리밍 기록)',
  'history.source.import-account': '가져옴 (계정 데이터)',
  'history.imports': '가져오기',
  'history.importLine': '{{file}} — {{day}}: {{plays}} 추가',
  'history.importDuplicates': ', {{n, number}}개는 이미 있음',
  'history.onlyMe': '공개 설정: **나만 보기**. 서버 통계에서 제외됩니다.',
  'history.hint': '`/history import`로 Spotify 데이터 내보내기 추가 · `/history export`로 모두 내려받기 · `/history delete`로 삭제',
  'history.onStatus':
    '기록이 **켜졌습니다**. 이제 Discord 상태(Spotify 표시)에 나온 곡을 절반 또는 4분 들으면 재생으로 저장합니다. `/history off`로 멈추고, `/history delete`로 모두 삭제합니다.',
  'history.onSpotify': '기록이 **켜졌습니다**. 이제부터 Spotify 재생을 저장합니다. `/history off`로 멈추고, `/history delete`로 모두 삭제합니다.',
  'history.offNow': '기록이 **꺼졌습니다**. 새로운 재생은 저장하지 않습니다.',
  'history.offKept': '기록이 **꺼졌습니다**. 새로운 재생은 저장하지 않습니다. 저장된 기록({{plays}})은 `/history delete`를 실행할 때까지 남아 있습니다.',
  'dm.daysLeft_other': '{{count}}일 남음',
  'dm.ownerExpiry':
    '⚠️ 봇과 내 Spotify 계정의 연결이 **{{date}}**에 만료됩니다({{daysLeft}}. Spotify는 동의 후 6개월이 지나면 모든 인증을 끝냅니다).\n그 전에 갱신하세요: 여기서 `/spotify login`을 실행하거나, 봇이 실행되는 컴퓨터에서 `npm run authorize`를 실행하고 봇을 다시 시작하세요.',
  'dm.memberExpiry':
    '⚠️ 이 봇과의 Spotify 연결이 **{{date}}**에 만료됩니다({{daysLeft}}. Spotify는 동의 후 6개월이 지나면 모든 인증을 끝냅니다). 그 전에 `/spotify link`를 실행해 갱신하세요.',
  'dm.ownerDead':
    '❌ Spotify가 더 이상 봇의 인증을 받아들이지 않습니다(인증이 취소되었거나, 비밀번호가 바뀌었거나, 6개월 기한이 지났습니다). 봇은 Spotify 요청을 멈추고 상태를 지웠습니다.\n해결 방법: 여기서 `/spotify login`을 실행하거나(어디서나 가능), 봇이 실행되는 컴퓨터에서 `npm run authorize`를 실행하세요. 봇은 다시 시작하지 않아도 새 인증을 사용합니다.',
  'dm.spotifySaid': '(Spotify 응답: {{description}})',
  'announce.openInSpotify': 'Spotify에서 열기',
  'announce.nowPlaying': '🎵 지금 재생 중',
  'announce.nowPlayingEpisode': '🎙️ 지금 재생 중 · 팟캐스트 에피소드',
  'announce.by': '아티스트: {{artists}}',
  'announce.on': '앨범: {{album}}',
  'announce.from': '프로그램: {{show}}',
  'announce.untitled': '제목 없음',
  'announce.statusOff': '📣 이 서버에서는 알림이 꺼져 있습니다. `/announce channel:#채널`을 쓰면 소유자의 새 곡을 그곳에 게시합니다.',
  'announce.statusOn': '📣 소유자의 새 곡을 {{channel}}에 게시하고 있습니다({{setBy}} 님이 {{when}} 설정). `/announce off:True`로 멈출 수 있습니다.',
  'announce.set':
    '📣 소유자의 다음 곡부터 새 곡마다 {{channel}}에 게시합니다. 빠르게 건너뛰면 새 게시물 대신 마지막 게시물을 수정하고, 일시 정지 중에는 게시하지 않습니다. `/announce off:True`로 멈출 수 있습니다.',
  'announce.offNow': '📣 알림이 꺼졌습니다. 이 서버에 더 이상 게시하지 않습니다.',
  'announce.alreadyOff': '📣 이 서버에서는 알림이 이미 꺼져 있습니다.',
  'announce.cantPost': '⚠️ {{channel}}에 게시할 수 없습니다. 그곳에서 {{missing}} 권한이 없습니다. 권한을 주거나 다른 채널을 고르세요.',
  'announce.notText': '⚠️ 제가 볼 수 있는 이 서버의 텍스트 채널이 아닙니다.',
  'announce.both': '⚠️ 채널과 `off:True` 중 하나만 지정하세요.',
  'announce.stopped':
    '📣 **{{guild}}**의 {{channel}}에 소유자의 곡을 더 이상 게시하지 않습니다: {{why}}. 그 서버의 알림은 꺼졌습니다. 그 서버에서 `/announce channel:#채널`을 실행하면 다시 켜집니다.',
  'announce.whyDeleted': '채널이 삭제되었습니다',
  'announce.whyForbidden': '더 이상 그곳에 게시할 권한이 없습니다(채널 보기 / 메시지 보내기)',
  'announce.notHere': '/announce는 봇이 있는 서버에서 사용할 수 있습니다.',
};
