// Español (España): command names and descriptions, by the English names (see ../command-texts.ts).
import type { CommandsFile, OptionTexts } from '../command-texts.js';

/** Made at each command sync and let go after it (the texts are not kept in memory). */
export function commands(): CommandsFile['commands'] {
  const range: OptionTexts = {
    name: 'periodo',
    description: 'Qué periodo (por defecto: las últimas 4 semanas)',
    choices: { short_term: 'Últimas 4 semanas', medium_term: 'Últimos 6 meses', long_term: 'Último año' },
  };
  const period: OptionTexts = {
    name: 'periodo',
    description: 'Qué periodo (por defecto: los últimos 30 días)',
    choices: { week: 'Últimos 7 días', month: 'Últimos 30 días', year: 'Últimos 365 días', all: 'Desde siempre' },
  };
  const limit: OptionTexts = { name: 'cantidad', description: 'Cuántos mostrar, de 1 a 50 (10 por defecto)' };
  const whose = (what: string): OptionTexts => ({
    name: 'miembro',
    description: `${what} (por defecto: los tuyos si vinculaste Spotify; si no, los del dueño del bot)`,
  });

  return {
    nowplaying: {
      name: 'sonando',
      description: 'Muestra qué suena ahora en Spotify: lo tuyo, lo de un miembro o lo del dueño del bot',
      options: {
        user: { name: 'miembro', description: 'De quién (por defecto: tú si vinculaste Spotify o sale en tu estado; si no, el dueño)' },
        style: {
          name: 'estilo',
          description: 'Una tarjeta (imagen con el texto, por defecto) o solo texto',
          choices: { card: 'Tarjeta (una imagen, con el texto)', text: 'Solo texto' },
        },
      },
    },
    listening: { name: 'quién-escucha', description: 'Muestra quién está escuchando Spotify ahora en este servidor' },
    recent: {
      name: 'recientes',
      description: 'Muestra lo último que escuchaste en Spotify (o un miembro, o el dueño del bot)',
      options: { limit: { name: 'cantidad', description: 'Cuántas reproducciones mostrar, de 1 a 50 (10 por defecto)' }, user: whose('De quién') },
    },
    toptracks: {
      name: 'top-canciones',
      description: 'Muestra las canciones más escuchadas del dueño del bot en Spotify',
      options: { range, limit, user: whose('La lista de quién') },
    },
    topartists: {
      name: 'top-artistas',
      description: 'Muestra los artistas más escuchados del dueño del bot en Spotify',
      options: { range, limit, user: whose('La lista de quién') },
    },
    chart: {
      name: 'mosaico',
      description: 'Un mosaico de portadas de los álbumes, canciones o artistas más escuchados en Spotify',
      options: {
        kind: {
          name: 'tipo',
          description: 'Álbumes (por defecto), canciones o artistas',
          choices: { albums: 'Álbumes (de tus canciones más escuchadas)', tracks: 'Canciones', artists: 'Artistas' },
        },
        range,
        size: { name: 'tamaño', description: '3×3 (por defecto), 4×4 o 5×5', choices: { '3x3': '3×3', '4x4': '4×4', '5x5': '5×5' } },
        user: whose('El mosaico de quién'),
        period: { ...period, name: 'historial', description: 'Del historial de escucha guardado en este periodo (en lugar de Spotify)' },
      },
    },
    stats: {
      name: 'estadísticas',
      description: 'Estadísticas del historial guardado: reproducciones, tiempo, lo más escuchado y una imagen',
      options: { user: { name: 'miembro', description: 'De quién (por defecto: tuyas)' }, period },
    },
    serverstats: {
      name: 'estadísticas-servidor',
      description: 'Las estadísticas de escucha de este servidor según el historial guardado, y quién más escucha',
      options: { period },
    },
    history: {
      name: 'historial',
      description: 'Tu historial de escucha: grabación, importación de tus datos de Spotify, exportación y borrado',
      options: {
        status: { name: 'estado', description: 'Si se graban tus reproducciones y cuántas hay guardadas' },
        on: { name: 'activar', description: 'Grabar tus reproducciones (desde tu estado de Discord si no vinculaste Spotify)' },
        off: { name: 'desactivar', description: 'Dejar de grabar (lo guardado se queda hasta /history delete)' },
        import: {
          name: 'importar',
          description: 'Añadir tu exportación de datos de Spotify (my_spotify_data.zip o un JSON Streaming_History)',
          options: { file: { name: 'archivo', description: 'my_spotify_data.zip o uno de sus archivos JSON de historial' } },
        },
        export: { name: 'exportar', description: 'Descargar todas las reproducciones que el bot guarda de ti en un archivo JSON' },
        delete: { name: 'borrar', description: 'Borrar todo lo que el bot guarda de tu historial de escucha' },
      },
    },
    spotify: {
      name: 'spotify',
      description: 'Vincula tu propia cuenta de Spotify al bot o gestiona el vínculo',
      options: {
        link: { name: 'vincular', description: 'Vincular tu cuenta de Spotify (así /nowplaying, /toptracks… muestran la tuya)' },
        privacy: {
          name: 'privacidad',
          description: 'Elige quién puede ver lo que escuchas',
          options: {
            visibility: {
              name: 'visibilidad',
              description: 'Quién puede verlo',
              choices: { server: 'Miembros de los servidores que compartimos', private: 'Solo yo' },
            },
          },
        },
        unlink: {
          name: 'desvincular',
          description: 'Borrar todo lo que el bot guarda de tu cuenta de Spotify',
          options: { member: { name: 'miembro', description: 'Dueño del bot: desvincular en su lugar la cuenta de este miembro' } },
        },
        login: { name: 'iniciar-sesión', description: 'Dueño del bot: vincular o volver a vincular la cuenta de Spotify del bot' },
        status: { name: 'estado', description: 'Dueño del bot: estado del vínculo con Spotify y plazas ocupadas' },
      },
    },
    announce: {
      name: 'anunciar',
      description: 'Publicar las canciones nuevas del dueño del bot en un canal de este servidor',
      options: {
        channel: { name: 'canal', description: 'Dónde publicar cada canción nueva' },
        off: { name: 'desactivar', description: 'Dejar de publicar' },
      },
    },
    // ── whoknows, taste, wrapped, recap ──
    whoknows: {
      name: 'quien-conoce',
      description: 'Quién de este servidor lo ha escuchado más (desde siempre, según el historial guardado)',
      options: {
        artist: { name: 'artista', description: 'Quién de este servidor ha escuchado más a un artista', options: { name: { name: 'nombre', description: 'Cuál (por defecto: lo que estás escuchando ahora)' } } },
        track: { name: 'cancion', description: 'Quién de este servidor ha escuchado más una canción', options: { name: { name: 'nombre', description: 'Cuál (por defecto: lo que estás escuchando ahora)' } } },
        album: { name: 'album', description: 'Quién de este servidor ha escuchado más un álbum', options: { name: { name: 'nombre', description: 'Cuál (por defecto: lo que estás escuchando ahora)' } } },
      },
    },
    taste: {
      name: 'afinidad',
      description: 'Cuánto coincide lo que escuchas con lo de otro miembro: puntuación, artistas comunes y sugerencias',
      options: {
        user: { name: 'miembro', description: 'Con quién comparar lo que escuchas' },
        period: { ...period, description: 'Qué periodo (por defecto: desde siempre)' },
      },
    },
    wrapped: {
      name: 'resumen-anual',
      description: 'Un año de escucha del historial guardado en una imagen alta: minutos, artista, canciones, picos',
      options: {
        year: { name: 'año', description: 'Qué año (por defecto: este año)' },
        user: { name: 'miembro', description: 'El año de quién (por defecto: el tuyo)' },
      },
    },
    recap: {
      name: 'resumen-semanal',
      description: 'Publicar en un canal el resumen semanal de lo que se escucha en este servidor',
      options: {
        channel: { name: 'canal', description: 'Dónde publicar el resumen cada semana' },
        off: { name: 'desactivar', description: 'Dejar de publicar el resumen' },
      },
    },
    // ── views ──
    serverchart: {
      name: 'mosaico-servidor',
      description: 'Mosaico de portadas de los álbumes, canciones o artistas más escuchados del servidor (historial)',
      options: {
        kind: { name: 'tipo', description: 'Álbumes (por defecto), canciones o artistas', choices: { albums: 'Álbumes', tracks: 'Canciones', artists: 'Artistas' } },
        period,
        size: { name: 'tamaño', description: '3×3 (por defecto), 4×4 o 5×5', choices: { '3x3': '3×3', '4x4': '4×4', '5x5': '5×5' } },
      },
    },
  };
}
