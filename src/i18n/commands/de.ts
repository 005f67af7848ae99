// Deutsch: command names and descriptions, by the English names (see ../command-texts.ts).
import type { CommandsFile, OptionTexts } from '../command-texts.js';

/** Made at each command sync and let go after it (the texts are not kept in memory). */
export function commands(): CommandsFile['commands'] {
  const range: OptionTexts = {
    name: 'zeitraum',
    description: 'Welcher Zeitraum (Standard: letzte 4 Wochen)',
    choices: { short_term: 'Letzte 4 Wochen', medium_term: 'Letzte 6 Monate', long_term: 'Letztes Jahr' },
  };
  const period: OptionTexts = {
    name: 'zeitraum',
    description: 'Welcher Zeitraum (Standard: letzte 30 Tage)',
    choices: { week: 'Letzte 7 Tage', month: 'Letzte 30 Tage', year: 'Letzte 365 Tage', all: 'Gesamter Zeitraum' },
  };
  const limit: OptionTexts = { name: 'anzahl', description: 'Wie viele angezeigt werden, 1–50 (Standard: 10)' };
  const whose = (what: string): OptionTexts => ({
    name: 'mitglied',
    description: `${what} (Standard: deine, wenn du Spotify verknüpft hast, sonst die des Bot-Betreibers)`,
  });

  return {
    nowplaying: {
      name: 'läuft-gerade',
      description: 'Zeigt, was du, ein Mitglied oder der Bot-Betreiber gerade auf Spotify hört',
      options: {
        user: { name: 'mitglied', description: 'Wessen Musik (Standard: deine, wenn verknüpft oder im Status, sonst die des Betreibers)' },
        style: {
          name: 'stil',
          description: 'Als Karte (Bild mit Text, Standard) oder nur als Text',
          choices: { card: 'Karte (ein Bild mit dem Text)', text: 'Nur Text' },
        },
      },
    },
    listening: { name: 'wer-hört', description: 'Zeigt, wer auf diesem Server gerade Spotify hört' },
    recent: {
      name: 'zuletzt-gehört',
      description: 'Zeigt, was du (ein Mitglied oder der Bot-Betreiber) zuletzt auf Spotify gehört hast',
      options: { limit: { name: 'anzahl', description: 'Wie viele Titel, 1–50 (Standard: 10)' }, user: whose('Wessen Titel') },
    },
    toptracks: {
      name: 'top-titel',
      description: 'Zeigt die meistgehörten Titel des Bot-Betreibers auf Spotify',
      options: { range, limit, user: whose('Wessen Liste') },
    },
    topartists: {
      name: 'top-künstler',
      description: 'Zeigt die meistgehörten Künstler:innen des Bot-Betreibers auf Spotify',
      options: { range, limit, user: whose('Wessen Liste') },
    },
    chart: {
      name: 'cover-raster',
      description: 'Ein Raster aus Covern der meistgehörten Alben, Titel oder Künstler:innen auf Spotify',
      options: {
        kind: {
          name: 'art',
          description: 'Alben (Standard), Titel oder Künstler:innen',
          choices: { albums: 'Alben (aus deinen Top-Titeln)', tracks: 'Titel', artists: 'Künstler:innen' },
        },
        range,
        size: { name: 'größe', description: '3×3 (Standard), 4×4 oder 5×5', choices: { '3x3': '3×3', '4x4': '4×4', '5x5': '5×5' } },
        user: whose('Wessen Raster'),
        period: { ...period, name: 'verlauf', description: 'Aus dem gespeicherten Hörverlauf über diesen Zeitraum (statt von Spotify)' },
      },
    },
    stats: {
      name: 'statistik',
      description: 'Hörstatistik aus dem gespeicherten Verlauf: Wiedergaben, Zeit, Top-Listen und ein Bild',
      options: { user: { name: 'mitglied', description: 'Wessen Statistik (Standard: deine)' }, period },
    },
    serverstats: {
      name: 'server-statistik',
      description: 'Die Hörstatistik dieses Servers aus dem gespeicherten Verlauf und seine fleißigsten Hörer:innen',
      options: { period },
    },
    history: {
      name: 'verlauf',
      description: 'Dein Hörverlauf: Aufzeichnung, Import deiner Spotify-Daten, Export, Löschen',
      options: {
        status: { name: 'status', description: 'Ob deine Wiedergaben aufgezeichnet werden und wie viele gespeichert sind' },
        on: { name: 'an', description: 'Deine Wiedergaben aufzeichnen (aus deinem Discord-Status, wenn Spotify nicht verknüpft ist)' },
        off: { name: 'aus', description: 'Aufzeichnung beenden (Gespeichertes bleibt bis /history delete)' },
        import: {
          name: 'importieren',
          description: 'Deinen Spotify-Datenexport hinzufügen (my_spotify_data.zip oder eine Streaming_History-JSON)',
          options: { file: { name: 'datei', description: 'my_spotify_data.zip oder eine seiner Streaming-History-JSON-Dateien' } },
        },
        export: { name: 'exportieren', description: 'Alle Wiedergaben, die der Bot für dich speichert, als JSON-Datei herunterladen' },
        delete: { name: 'löschen', description: 'Alles löschen, was der Bot über deinen Hörverlauf speichert' },
      },
    },
    spotify: {
      name: 'spotify',
      description: 'Verknüpfe dein eigenes Spotify-Konto mit dem Bot oder verwalte die Verknüpfung',
      options: {
        link: { name: 'verknüpfen', description: 'Dein eigenes Spotify-Konto verknüpfen (dann zeigen /nowplaying, /toptracks … deins)' },
        privacy: {
          name: 'privatsphäre',
          description: 'Wähle, wer sehen kann, was du hörst',
          options: {
            visibility: {
              name: 'sichtbarkeit',
              description: 'Wer es sehen kann',
              choices: { server: 'Mitglieder der Server, die wir teilen', private: 'Nur ich' },
            },
          },
        },
        unlink: {
          name: 'trennen',
          description: 'Alles löschen, was der Bot für dein Spotify-Konto speichert',
          options: { member: { name: 'mitglied', description: 'Bot-Betreiber: stattdessen das Spotify-Konto dieses Mitglieds trennen' } },
        },
        login: { name: 'anmelden', description: 'Bot-Betreiber: das eigene Spotify-Konto des Bots (neu) verknüpfen' },
        status: { name: 'status', description: 'Bot-Betreiber: Zustand der Spotify-Verknüpfung und belegte Plätze' },
      },
    },
    announce: {
      name: 'ankündigen',
      description: 'Neue Titel des Bot-Betreibers in einem Kanal dieses Servers posten',
      options: {
        channel: { name: 'kanal', description: 'Wo jeder neue Titel gepostet wird' },
        off: { name: 'aus', description: 'Nicht mehr posten' },
      },
    },
    // ── whoknows, taste, wrapped, recap ──
    whoknows: {
      name: 'wer-kennt',
      description: 'Wer auf diesem Server es am meisten gehört hat (gesamter Zeitraum, aus dem gespeicherten Verlauf)',
      options: {
        artist: { name: 'künstler', description: 'Wer auf diesem Server eine:n Künstler:in am meisten gehört hat', options: { name: { name: 'name', description: 'Welche:r (Standard: was du gerade hörst)' } } },
        track: { name: 'titel', description: 'Wer auf diesem Server einen Titel am meisten gehört hat', options: { name: { name: 'name', description: 'Welcher (Standard: was du gerade hörst)' } } },
        album: { name: 'album', description: 'Wer auf diesem Server ein Album am meisten gehört hat', options: { name: { name: 'name', description: 'Welches (Standard: was du gerade hörst)' } } },
      },
    },
    taste: {
      name: 'geschmack',
      description: 'Wie sehr sich dein Hören mit dem eines Mitglieds deckt: Wert, gemeinsame Künstler:innen, Tipps',
      options: {
        user: { name: 'mitglied', description: 'Mit wessen Hören du deins vergleichst' },
        period: { ...period, description: 'Welcher Zeitraum (Standard: gesamter Zeitraum)' },
      },
    },
    wrapped: {
      name: 'jahresrückblick',
      description: 'Ein Hörjahr aus dem gespeicherten Verlauf als hohes Bild: Minuten, Top-Künstler:in, Songs, Spitzen',
      options: {
        year: { name: 'jahr', description: 'Welches Jahr (Standard: dieses Jahr)' },
        user: { name: 'mitglied', description: 'Wessen Jahr (Standard: deins)' },
      },
    },
    recap: {
      name: 'wochenrückblick',
      description: 'Den wöchentlichen Hör-Rückblick dieses Servers in einem Kanal posten',
      options: {
        channel: { name: 'kanal', description: 'Wo der Rückblick jede Woche gepostet wird' },
        off: { name: 'aus', description: 'Den Rückblick nicht mehr posten' },
      },
    },
    // ── views ──
    serverchart: {
      name: 'server-raster',
      description: 'Ein Cover-Raster der meistgehörten Alben, Titel oder Künstler:innen dieses Servers (aus dem Verlauf)',
      options: {
        kind: { name: 'art', description: 'Alben (Standard), Titel oder Künstler:innen', choices: { albums: 'Alben', tracks: 'Titel', artists: 'Künstler:innen' } },
        period,
        size: { name: 'größe', description: '3×3 (Standard), 4×4 oder 5×5', choices: { '3x3': '3×3', '4x4': '4×4', '5x5': '5×5' } },
      },
    },
  };
}
