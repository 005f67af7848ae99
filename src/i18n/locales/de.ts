// Deutsch. Keys and placeholders as in en.ts (the source); plurals: one, other.
import type { Translation } from '../types.js';

export const messages: Translation<'one' | 'other'> = {
  'common.previous': '◀ Zurück',
  'common.next': 'Weiter ▶',
  'common.span': '{{from}}–{{to}} von {{total}}',
  'common.pageSpan': 'Seite {{page}}/{{pages}} · {{span}}',
  'common.untitledTrack': 'Titel ohne Namen',
  'common.unknownArtist': 'Unbekannte Künstler:in',
  'common.localFile': 'lokale Datei',

  'time.justNow': 'gerade eben',
  'time.minutesAgo_one': 'vor {{count}} Min.',
  'time.minutesAgo_other': 'vor {{count}} Min.',
  'time.hoursAgo_one': 'vor {{count}} Std.',
  'time.hoursAgo_other': 'vor {{count}} Std.',
  'time.yesterday': 'gestern',
  'time.daysAgo_one': 'vor {{count}} Tag',
  'time.daysAgo_other': 'vor {{count}} Tagen',
  'time.aMoment': 'einen Moment',
  'time.inAMoment': 'gleich noch einmal',
  'time.inWait': 'in {{wait}} noch einmal',
  'time.seconds': '{{n, number}} s',
  'time.aboutMinutes': 'etwa {{n, number}} Min.',
  'time.aboutHours': 'etwa {{n, number}} Std.',

  'range.short_term': 'Letzte 4 Wochen',
  'range.medium_term': 'Letzte 6 Monate',
  'range.long_term': 'Letztes Jahr',

  'errors.generic': 'Da ist etwas schiefgelaufen. Der Bot-Betreiber kann im Log nachsehen.',
  'errors.invalidClient':
    'Spotify hat die App-Zugangsdaten des Bots abgelehnt – der Bot-Betreiber muss Client-ID und Secret prüfen.',
  'errors.reauthorize': 'Der Bot-Betreiber muss Spotify neu autorisieren (`npm run authorize`).',
  'errors.quota': 'Der Bot hat sein Spotify-Anfragekontingent vorerst aufgebraucht – versuch es {{when}}.',
  'errors.rateLimited': 'Spotify bremst den Bot gerade aus – versuch es {{when}}.',
  'errors.unavailable': 'Spotify antwortet gerade nicht – versuch es gleich noch einmal.',
  'errors.forbidden':
    'Spotify hat die Anfrage für das Konto des Betreibers abgelehnt. Ist die Spotify-App im Entwicklungsmodus, muss das Konto auf ihrer Zulassungsliste stehen (User Management im Spotify-Dashboard), und manche Funktionen brauchen Premium.',

  'recent.title': 'Zuletzt gehört',
  'recent.nothing': 'In letzter Zeit nichts gehört – oder alles in einer privaten Sitzung.',

  'top.tracks': 'Top-Titel',
  'top.artists': 'Top-Künstler:innen',
  'top.noTracks': 'Für diesen Zeitraum gibt es noch keine Top-Titel – Spotify braucht etwas mehr Hörverlauf.',
  'top.noArtists': 'Für diesen Zeitraum gibt es noch keine Top-Künstler:innen – Spotify braucht etwas mehr Hörverlauf.',

  'history.plays_one': '{{count, number}} Wiedergabe',
  'history.plays_other': '{{count, number}} Wiedergaben',
  'history.off': 'Der Hörverlauf ist auf diesem Bot ausgeschaltet (der Betreiber hat `HISTORY=off` gesetzt): Es wird nichts aufgezeichnet oder gespeichert.',
  'history.recordingStatus': '🔴 **Aufzeichnung läuft**: Deine Wiedergaben werden aus deinem Discord-Status übernommen. `/history off` beendet sie.',
  'history.recordingSpotify': '🔴 **Aufzeichnung läuft**: Deine Wiedergaben werden von Spotify übernommen. `/history off` beendet sie.',
  'history.notRecordingStatus': '⏸️ **Keine Aufzeichnung.** `/history on` zeichnet deine Wiedergaben aus deinem Discord-Status auf (wenn er Spotify zeigt).',
  'history.notRecordingSpotify': '⏸️ **Keine Aufzeichnung.** `/history on` zeichnet deine Spotify-Wiedergaben wieder auf.',
  'history.title': 'Dein Hörverlauf',
  'history.none': 'Noch keine Wiedergaben gespeichert.',
  'history.stored': '**{{plays}}** gespeichert, seit dem {{day}}.',
  'history.source.spotify-recent': 'Spotify (zuletzt gehört)',
  'history.source.discord-status': 'Discord-Status',
  'history.source.import-extended': 'importiert (erweiterter Streaming-Verlauf)',
  'history.source.import-account': 'importiert (Kontodaten)',
  'history.imports': 'Importe',
  'history.importLine': '{{file}} – {{day}}: {{plays}} hinzugefügt',
  'history.importDuplicates': ', {{n, number}} schon vorhanden',
  'history.onlyMe': 'Privatsphäre: **nur ich** – du tauchst in Server-Ansichten nicht auf.',
  'history.hint': '`/history import` fügt deinen Spotify-Datenexport hinzu · `/history export` lädt alles herunter · `/history delete` löscht es.',
  'history.onStatus':
    'Die Aufzeichnung ist **an**: Ab jetzt wird jeder Titel aus deinem Discord-Status (Spotify als Status) als Wiedergabe gespeichert, sobald du die Hälfte oder 4 Minuten davon gehört hast. `/history off` beendet sie; `/history delete` löscht alles.',
  'history.onSpotify': 'Die Aufzeichnung ist **an**: Deine Spotify-Wiedergaben werden ab jetzt gespeichert. `/history off` beendet sie; `/history delete` löscht alles.',
  'history.offNow': 'Die Aufzeichnung ist **aus**: Es wird nichts Neues gespeichert.',
  'history.offKept': 'Die Aufzeichnung ist **aus**: Es wird nichts Neues gespeichert. Deine {{plays}} bleiben gespeichert, bis du `/history delete` ausführst.',
  'dm.daysLeft_one': 'noch {{count}} Tag',
  'dm.daysLeft_other': 'noch {{count}} Tage',
  'dm.ownerExpiry':
    '⚠️ Die Verknüpfung des Bots mit deinem Spotify-Konto läuft am **{{date}}** ab ({{daysLeft}}; Spotify beendet jede Autorisierung 6 Monate nach der Zustimmung).\nErneuere sie vorher: Führe hier `/spotify login` aus oder `npm run authorize` auf dem Rechner des Bots und starte ihn neu.',
  'dm.memberExpiry':
    '⚠️ Deine Spotify-Verknüpfung mit diesem Bot läuft am **{{date}}** ab ({{daysLeft}}; Spotify beendet jede Autorisierung 6 Monate nach der Zustimmung). Führe vorher `/spotify link` aus, um sie zu erneuern.',
  'dm.ownerDead':
    '❌ Spotify akzeptiert die Autorisierung des Bots nicht mehr (sie wurde widerrufen, das Passwort wurde geändert oder die 6 Monate sind abgelaufen). Der Bot fragt Spotify nicht mehr an, sein Status ist geleert.\nSo behebst du es: Führe hier `/spotify login` aus (geht von überall) oder `npm run authorize` auf dem Rechner des Bots. Der Bot übernimmt die neue Autorisierung ohne Neustart.',
  'dm.spotifySaid': '(Spotify meldete: {{description}})',
};
