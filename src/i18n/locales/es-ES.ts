// Español (España). Keys and placeholders as in en.ts (the source); plurals: one, many, other.
import type { Translation } from '../types.js';

export const messages: Translation<'one' | 'many' | 'other'> = {
  'common.previous': '◀ Anterior',
  'common.next': 'Siguiente ▶',
  'common.span': '{{from}}–{{to}} de {{total}}',
  'common.pageSpan': 'Página {{page}}/{{pages}} · {{span}}',
  'common.untitledTrack': 'Canción sin título',
  'common.unknownArtist': 'Artista desconocido',
  'common.localFile': 'archivo local',

  'time.justNow': 'ahora mismo',
  'time.minutesAgo_one': 'hace {{count}} min',
  'time.minutesAgo_many': 'hace {{count}} min',
  'time.minutesAgo_other': 'hace {{count}} min',
  'time.hoursAgo_one': 'hace {{count}} h',
  'time.hoursAgo_many': 'hace {{count}} h',
  'time.hoursAgo_other': 'hace {{count}} h',
  'time.yesterday': 'ayer',
  'time.daysAgo_one': 'hace {{count}} día',
  'time.daysAgo_many': 'hace {{count}} de días',
  'time.daysAgo_other': 'hace {{count}} días',
  'time.aMoment': 'un momento',
  'time.inAMoment': 'dentro de un momento',
  'time.inWait': 'dentro de {{wait}}',
  'time.seconds': '{{n, number}} s',
  'time.aboutMinutes': 'unos {{n, number}} min',
  'time.aboutHours': 'unas {{n, number}} h',

  'range.short_term': 'Últimas 4 semanas',
  'range.medium_term': 'Últimos 6 meses',
  'range.long_term': 'Último año',

  'errors.generic': 'Algo ha fallado. El propietario del bot puede revisar el registro.',
  'errors.invalidClient':
    'Spotify ha rechazado las credenciales de la aplicación del bot: el propietario tiene que revisar el ID de cliente y el secreto de Spotify.',
  'errors.reauthorize': 'El propietario del bot tiene que volver a autorizar Spotify (`npm run authorize`).',
  'errors.quota': 'El bot ha agotado por ahora su cuota de peticiones a Spotify: vuelve a intentarlo {{when}}.',
  'errors.rateLimited': 'Spotify está limitando las peticiones del bot: vuelve a intentarlo {{when}}.',
  'errors.unavailable': 'Spotify no responde ahora mismo: vuelve a intentarlo dentro de un momento.',
  'errors.forbidden':
    'Spotify ha rechazado la petición para la cuenta del propietario. Si la aplicación de Spotify está en modo de desarrollo, la cuenta tiene que estar en su lista de acceso (User Management en el panel de Spotify), y algunas funciones requieren Premium.',

  'recent.title': 'Escuchado recientemente',
  'recent.nothing': 'No has escuchado nada últimamente, o todo fue en una sesión privada.',

  'top.tracks': 'Canciones más escuchadas',
  'top.artists': 'Artistas más escuchados',
  'top.noTracks': 'Todavía no hay canciones destacadas en este periodo: Spotify necesita algo más de historial de escucha.',
  'top.noArtists': 'Todavía no hay artistas destacados en este periodo: Spotify necesita algo más de historial de escucha.',
};
