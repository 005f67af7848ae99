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
};
