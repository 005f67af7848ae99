// Português (Brasil). Keys and placeholders as in en.ts (the source); plurals: one, many, other.
import type { Translation } from '../types.js';

export const messages: Translation<'one' | 'many' | 'other'> = {
  'common.previous': '◀ Anterior',
  'common.next': 'Próxima ▶',
  'common.span': '{{from}}–{{to}} de {{total}}',
  'common.pageSpan': 'Página {{page}}/{{pages}} · {{span}}',
  'common.untitledTrack': 'Faixa sem título',
  'common.unknownArtist': 'Artista desconhecido',
  'common.localFile': 'arquivo local',

  'time.justNow': 'agora mesmo',
  'time.minutesAgo_one': 'há {{count}} min',
  'time.minutesAgo_many': 'há {{count}} min',
  'time.minutesAgo_other': 'há {{count}} min',
  'time.hoursAgo_one': 'há {{count}} h',
  'time.hoursAgo_many': 'há {{count}} h',
  'time.hoursAgo_other': 'há {{count}} h',
  'time.yesterday': 'ontem',
  'time.daysAgo_one': 'há {{count}} dia',
  'time.daysAgo_many': 'há {{count}} de dias',
  'time.daysAgo_other': 'há {{count}} dias',
  'time.aMoment': 'um instante',
  'time.inAMoment': 'daqui a pouco',
  'time.inWait': 'daqui a {{wait}}',
  'time.seconds': '{{n, number}} s',
  'time.aboutMinutes': 'cerca de {{n, number}} min',
  'time.aboutHours': 'cerca de {{n, number}} h',

  'range.short_term': 'Últimas 4 semanas',
  'range.medium_term': 'Últimos 6 meses',
  'range.long_term': 'Último ano',

  'errors.generic': 'Algo deu errado. O dono do bot pode conferir o log.',
  'errors.invalidClient':
    'O Spotify recusou as credenciais do app do bot: o dono precisa conferir o client ID e o secret do Spotify.',
  'errors.reauthorize': 'O dono do bot precisa autorizar o Spotify de novo (`npm run authorize`).',
  'errors.quota': 'O bot esgotou a cota de requisições ao Spotify por enquanto: tente de novo {{when}}.',
  'errors.rateLimited': 'O Spotify está limitando as requisições do bot: tente de novo {{when}}.',
  'errors.unavailable': 'O Spotify não está respondendo agora: tente de novo daqui a pouco.',
  'errors.forbidden':
    'O Spotify recusou a requisição para a conta do dono. Se o app do Spotify estiver em modo de desenvolvimento, a conta precisa estar na lista de acesso (User Management no painel do Spotify), e alguns recursos exigem Premium.',

  'recent.title': 'Tocadas recentemente',
  'recent.nothing': 'Nada tocado recentemente, ou tudo foi numa sessão privada.',

  'top.tracks': 'Faixas mais ouvidas',
  'top.artists': 'Artistas mais ouvidos',
  'top.noTracks': 'Ainda não há faixas em destaque neste período: o Spotify precisa de um pouco mais de histórico.',
  'top.noArtists': 'Ainda não há artistas em destaque neste período: o Spotify precisa de um pouco mais de histórico.',
};
