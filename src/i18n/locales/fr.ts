// Français. Keys and placeholders as in en.ts (the source); plurals: one, many, other.
import type { Translation } from '../types.js';

export const messages: Translation<'one' | 'many' | 'other'> = {
  'common.previous': '◀ Précédent',
  'common.next': 'Suivant ▶',
  'common.span': '{{from}}–{{to}} sur {{total}}',
  'common.pageSpan': 'Page {{page}}/{{pages}} · {{span}}',
  'common.untitledTrack': 'Titre sans nom',
  'common.unknownArtist': 'Artiste inconnu',
  'common.localFile': 'fichier local',

  'time.justNow': "à l'instant",
  'time.minutesAgo_one': 'il y a {{count}} min',
  'time.minutesAgo_many': 'il y a {{count}} min',
  'time.minutesAgo_other': 'il y a {{count}} min',
  'time.hoursAgo_one': 'il y a {{count}} h',
  'time.hoursAgo_many': 'il y a {{count}} h',
  'time.hoursAgo_other': 'il y a {{count}} h',
  'time.yesterday': 'hier',
  'time.daysAgo_one': 'il y a {{count}} jour',
  'time.daysAgo_many': 'il y a {{count}} de jours',
  'time.daysAgo_other': 'il y a {{count}} jours',
  'time.aMoment': 'un instant',
  'time.inAMoment': 'dans un instant',
  'time.inWait': 'dans {{wait}}',
  'time.seconds': '{{n, number}} s',
  'time.aboutMinutes': 'environ {{n, number}} min',
  'time.aboutHours': 'environ {{n, number}} h',

  'range.short_term': '4 dernières semaines',
  'range.medium_term': '6 derniers mois',
  'range.long_term': 'Dernière année',

  'errors.generic': 'Un problème est survenu. Le propriétaire du bot peut consulter son journal.',
  'errors.invalidClient':
    "Spotify a refusé les identifiants de l'application du bot : le propriétaire doit vérifier l'ID client et le secret Spotify.",
  'errors.reauthorize': 'Le propriétaire du bot doit autoriser Spotify à nouveau (`npm run authorize`).',
  'errors.quota': 'Le bot a épuisé son quota de requêtes Spotify pour le moment : réessayez {{when}}.',
  'errors.rateLimited': 'Spotify limite les requêtes du bot : réessayez {{when}}.',
  'errors.unavailable': 'Spotify ne répond pas pour le moment : réessayez dans un instant.',
  'errors.forbidden':
    "Spotify a refusé la requête pour le compte du propriétaire. Si l'application Spotify est en mode développement, ce compte doit figurer sur sa liste d'accès (User Management dans le tableau de bord Spotify), et certaines fonctions exigent Premium.",

  'recent.title': 'Écoutés récemment',
  'recent.nothing': "Rien d'écouté récemment, ou alors tout en session privée.",

  'top.tracks': 'Titres les plus écoutés',
  'top.artists': 'Artistes les plus écoutés',
  'top.noTracks': "Pas encore de titres phares pour cette période : Spotify a besoin d'un peu plus d'historique d'écoute.",
  'top.noArtists': "Pas encore d'artistes phares pour cette période : Spotify a besoin d'un peu plus d'historique d'écoute.",
};
