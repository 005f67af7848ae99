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

  'history.plays_one': '{{count, number}} reproducción',
  'history.plays_many': '{{count, number}} de reproducciones',
  'history.plays_other': '{{count, number}} reproducciones',
  'history.off': 'El historial de escucha está desactivado en este bot (el dueño puso `HISTORY=off`): no se graba ni se guarda nada.',
  'history.recordingStatus': '🔴 **Grabando** tus reproducciones desde tu estado de Discord. `/history off` lo detiene.',
  'history.recordingSpotify': '🔴 **Grabando** tus reproducciones desde Spotify. `/history off` lo detiene.',
  'history.notRecordingStatus': '⏸️ **Sin grabar.** `/history on` graba tus reproducciones desde tu estado de Discord (cuando muestra Spotify).',
  'history.notRecordingSpotify': '⏸️ **Sin grabar.** `/history on` vuelve a grabar tus reproducciones de Spotify.',
  'history.title': 'Tu historial de escucha',
  'history.none': 'Todavía no hay reproducciones guardadas.',
  'history.stored': '**{{plays}}** guardadas, desde el {{day}}.',
  'history.source.spotify-recent': 'Spotify (escuchado recientemente)',
  'history.source.discord-status': 'estado de Discord',
  'history.source.import-extended': 'importadas (historial de reproducción ampliado)',
  'history.source.import-account': 'importadas (datos de la cuenta)',
  'history.imports': 'Importaciones',
  'history.importLine': '{{file}} — {{day}}: {{plays}} añadidas',
  'history.importDuplicates': ', {{n, number}} ya estaban',
  'history.onlyMe': 'Privacidad: **solo yo**. No apareces en las vistas del servidor.',
  'history.hint': '`/history import` añade tu exportación de datos de Spotify · `/history export` lo descarga todo · `/history delete` lo borra.',
  'history.onStatus':
    'La grabación está **activada**: a partir de ahora, cada canción que muestre tu estado de Discord (Spotify como estado) se guarda como reproducción cuando hayas escuchado la mitad o 4 minutos. `/history off` la detiene; `/history delete` lo borra todo.',
  'history.onSpotify': 'La grabación está **activada**: tus reproducciones de Spotify se guardan a partir de ahora. `/history off` la detiene; `/history delete` lo borra todo.',
  'history.offNow': 'La grabación está **desactivada**: no se guarda nada nuevo.',
  'history.offKept': 'La grabación está **desactivada**: no se guarda nada nuevo. Tus {{plays}} siguen guardadas hasta que uses `/history delete`.',
  'dm.daysLeft_one': 'queda {{count}} día',
  'dm.daysLeft_many': 'quedan {{count}} de días',
  'dm.daysLeft_other': 'quedan {{count}} días',
  'dm.ownerExpiry':
    '⚠️ El vínculo del bot con tu cuenta de Spotify caduca el **{{date}}** ({{daysLeft}}; Spotify termina cada autorización 6 meses después del consentimiento).\nRenuévalo antes: ejecuta `/spotify login` aquí, o `npm run authorize` en la máquina del bot y reinícialo.',
  'dm.memberExpiry':
    '⚠️ Tu vínculo de Spotify con este bot caduca el **{{date}}** ({{daysLeft}}; Spotify termina cada autorización 6 meses después del consentimiento). Ejecuta `/spotify link` antes para renovarlo.',
  'dm.ownerDead':
    '❌ Spotify ya no acepta la autorización del bot (se revocó, se cambió la contraseña o pasaron los 6 meses). El bot ha dejado de consultar a Spotify y su estado se ha borrado.\nPara arreglarlo: ejecuta `/spotify login` aquí (funciona desde cualquier sitio), o `npm run authorize` en la máquina del bot. El bot toma la nueva autorización sin reiniciarse.',
  'dm.spotifySaid': '(Spotify dijo: {{description}})',
};
