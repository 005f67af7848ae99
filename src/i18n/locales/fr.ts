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

  'history.plays_one': '{{count, number}} écoute',
  'history.plays_many': '{{count, number}} d’écoutes',
  'history.plays_other': '{{count, number}} écoutes',
  'history.off': "L'historique d'écoute est désactivé sur ce bot (le propriétaire a défini `HISTORY=off`) : rien n'est enregistré ni conservé.",
  'history.recordingStatus': "🔴 **Enregistrement en cours** de vos écoutes depuis votre statut Discord. `/history off` l'arrête.",
  'history.recordingSpotify': "🔴 **Enregistrement en cours** de vos écoutes depuis Spotify. `/history off` l'arrête.",
  'history.notRecordingStatus': "⏸️ **Pas d'enregistrement.** `/history on` enregistre vos écoutes depuis votre statut Discord (quand il affiche Spotify).",
  'history.notRecordingSpotify': "⏸️ **Pas d'enregistrement.** `/history on` reprend l'enregistrement de vos écoutes Spotify.",
  'history.title': "Votre historique d'écoute",
  'history.none': 'Aucune écoute conservée pour le moment.',
  'history.stored': '**{{plays}}** conservées, depuis le {{day}}.',
  'history.source.spotify-recent': 'Spotify (écoutés récemment)',
  'history.source.discord-status': 'statut Discord',
  'history.source.import-extended': "importées (historique d'écoute étendu)",
  'history.source.import-account': 'importées (données du compte)',
  'history.imports': 'Imports',
  'history.importLine': '{{file}} — {{day}} : {{plays}} ajoutées',
  'history.importDuplicates': ', {{n, number}} déjà présentes',
  'history.onlyMe': 'Confidentialité : **moi seulement**. Vous êtes exclu des vues du serveur.',
  'history.hint': '`/history import` ajoute votre export de données Spotify · `/history export` télécharge tout · `/history delete` efface tout.',
  'history.onStatus':
    "L'enregistrement est **activé** : désormais, chaque titre affiché par votre statut Discord (Spotify comme statut) est conservé comme écoute dès que vous en avez écouté la moitié ou 4 minutes. `/history off` l'arrête ; `/history delete` efface tout.",
  'history.onSpotify': "L'enregistrement est **activé** : vos écoutes Spotify sont conservées à partir de maintenant. `/history off` l'arrête ; `/history delete` efface tout.",
  'history.offNow': "L'enregistrement est **désactivé** : plus rien de nouveau n'est conservé.",
  'history.offKept': "L'enregistrement est **désactivé** : plus rien de nouveau n'est conservé. Vos {{plays}} restent conservées jusqu'à `/history delete`.",
  'dm.daysLeft_one': 'encore {{count}} jour',
  'dm.daysLeft_many': 'encore {{count}} de jours',
  'dm.daysLeft_other': 'encore {{count}} jours',
  'dm.ownerExpiry':
    "⚠️ Le lien du bot avec votre compte Spotify expire le **{{date}}** ({{daysLeft}} ; Spotify met fin à toute autorisation 6 mois après le consentement).\nRenouvelez-le avant : lancez `/spotify login` ici, ou `npm run authorize` sur la machine du bot puis redémarrez-le.",
  'dm.memberExpiry':
    '⚠️ Votre lien Spotify avec ce bot expire le **{{date}}** ({{daysLeft}} ; Spotify met fin à toute autorisation 6 mois après le consentement). Lancez `/spotify link` avant cette date pour le renouveler.',
  'dm.ownerDead':
    "❌ Spotify n'accepte plus l'autorisation du bot (elle a été révoquée, le mot de passe a changé ou les 6 mois sont écoulés). Le bot n'interroge plus Spotify et son statut est effacé.\nPour corriger : lancez `/spotify login` ici (fonctionne de partout), ou `npm run authorize` sur la machine du bot. Le bot prend la nouvelle autorisation sans redémarrage.",
  'dm.spotifySaid': '(Réponse de Spotify : {{description}})',
};
