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

  'history.plays_one': '{{count, number}} reprodução',
  'history.plays_many': '{{count, number}} de reproduções',
  'history.plays_other': '{{count, number}} reproduções',
  'history.off': 'O histórico de escuta está desativado neste bot (o dono definiu `HISTORY=off`): nada é gravado nem guardado.',
  'history.recordingStatus': '🔴 **Gravando** suas reproduções pelo seu status do Discord. `/history off` para a gravação.',
  'history.recordingSpotify': '🔴 **Gravando** suas reproduções pelo Spotify. `/history off` para a gravação.',
  'history.notRecordingStatus': '⏸️ **Sem gravar.** `/history on` grava suas reproduções pelo seu status do Discord (quando ele mostra o Spotify).',
  'history.notRecordingSpotify': '⏸️ **Sem gravar.** `/history on` volta a gravar suas reproduções do Spotify.',
  'history.title': 'Seu histórico de escuta',
  'history.none': 'Nenhuma reprodução salva ainda.',
  'history.stored': '**{{plays}}** salvas, desde {{day}}.',
  'history.source.spotify-recent': 'Spotify (tocadas recentemente)',
  'history.source.discord-status': 'status do Discord',
  'history.source.import-extended': 'importadas (histórico de streaming estendido)',
  'history.source.import-account': 'importadas (dados da conta)',
  'history.imports': 'Importações',
  'history.importLine': '{{file}} — {{day}}: {{plays}} adicionadas',
  'history.importDuplicates': ', {{n, number}} já estavam lá',
  'history.onlyMe': 'Privacidade: **só eu**. Você fica de fora das visões do servidor.',
  'history.hint': '`/history import` adiciona sua exportação de dados do Spotify · `/history export` baixa tudo · `/history delete` apaga tudo.',
  'history.onStatus':
    'A gravação está **ativada**: a partir de agora, cada faixa que seu status do Discord mostrar (Spotify como status) é salva como reprodução quando você ouvir metade dela ou 4 minutos. `/history off` para a gravação; `/history delete` apaga tudo.',
  'history.onSpotify': 'A gravação está **ativada**: suas reproduções do Spotify são salvas a partir de agora. `/history off` para a gravação; `/history delete` apaga tudo.',
  'history.offNow': 'A gravação está **desativada**: nada novo é salvo.',
  'history.offKept': 'A gravação está **desativada**: nada novo é salvo. Suas {{plays}} continuam salvas até você usar `/history delete`.',
  'dm.daysLeft_one': 'falta {{count}} dia',
  'dm.daysLeft_many': 'faltam {{count}} de dias',
  'dm.daysLeft_other': 'faltam {{count}} dias',
  'dm.ownerExpiry':
    '⚠️ O vínculo do bot com sua conta do Spotify expira em **{{date}}** ({{daysLeft}}; o Spotify encerra toda autorização 6 meses após o consentimento).\nRenove antes disso: use `/spotify login` aqui, ou `npm run authorize` na máquina do bot e reinicie-o.',
  'dm.memberExpiry':
    '⚠️ Seu vínculo do Spotify com este bot expira em **{{date}}** ({{daysLeft}}; o Spotify encerra toda autorização 6 meses após o consentimento). Use `/spotify link` antes disso para renovar.',
  'dm.ownerDead':
    '❌ O Spotify não aceita mais a autorização do bot (ela foi revogada, a senha mudou ou os 6 meses acabaram). O bot parou de consultar o Spotify e o status dele foi limpo.\nPara resolver: use `/spotify login` aqui (funciona de qualquer lugar), ou `npm run authorize` na máquina do bot. O bot usa a nova autorização sem precisar reiniciar.',
  'dm.spotifySaid': '(O Spotify disse: {{description}})',
};
