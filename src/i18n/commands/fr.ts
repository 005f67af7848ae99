// Français: command names and descriptions, by the English names (see ../command-texts.ts).
import type { CommandsFile, OptionTexts } from '../command-texts.js';

/** Made at each command sync and let go after it (the texts are not kept in memory). */
export function commands(): CommandsFile['commands'] {
  const range: OptionTexts = {
    name: 'période',
    description: 'Quelle période (par défaut : les 4 dernières semaines)',
    choices: { short_term: '4 dernières semaines', medium_term: '6 derniers mois', long_term: 'Dernière année' },
  };
  const period: OptionTexts = {
    name: 'période',
    description: 'Quelle période (par défaut : les 30 derniers jours)',
    choices: { week: '7 derniers jours', month: '30 derniers jours', year: '365 derniers jours', all: 'Depuis toujours' },
  };
  const limit: OptionTexts = { name: 'nombre', description: 'Combien en afficher, de 1 à 50 (10 par défaut)' };
  const whose = (what: string): OptionTexts => ({
    name: 'membre',
    description: `${what} (par défaut : les vôtres si Spotify est lié, sinon ceux du propriétaire du bot)`,
  });

  return {
    nowplaying: {
      name: 'en-écoute',
      description: "Montre ce que vous, un membre ou le propriétaire du bot écoutez sur Spotify en ce moment",
      options: {
        user: { name: 'membre', description: "L'écoute de qui (par défaut : la vôtre si liée ou visible, sinon celle du propriétaire)" },
        style: {
          name: 'style',
          description: 'Une carte (image avec le texte, par défaut) ou du texte seul',
          choices: { card: 'Carte (une image, avec le texte)', text: 'Texte seul' },
        },
      },
    },
    listening: { name: 'qui-écoute', description: 'Montre qui écoute Spotify en ce moment sur ce serveur' },
    recent: {
      name: 'récents',
      description: 'Montre vos dernières écoutes sur Spotify (ou celles d’un membre, ou du propriétaire)',
      options: { limit: { name: 'nombre', description: "Combien d'écoutes afficher, de 1 à 50 (10 par défaut)" }, user: whose('Les écoutes de qui') },
    },
    toptracks: {
      name: 'top-titres',
      description: 'Montre les titres les plus écoutés du propriétaire du bot sur Spotify',
      options: { range, limit, user: whose('La liste de qui') },
    },
    topartists: {
      name: 'top-artistes',
      description: 'Montre les artistes les plus écoutés du propriétaire du bot sur Spotify',
      options: { range, limit, user: whose('La liste de qui') },
    },
    chart: {
      name: 'mosaïque',
      description: 'Une mosaïque de pochettes des albums, titres ou artistes les plus écoutés sur Spotify',
      options: {
        kind: {
          name: 'type',
          description: 'Albums (par défaut), titres ou artistes',
          choices: { albums: 'Albums (tirés de vos titres phares)', tracks: 'Titres', artists: 'Artistes' },
        },
        range,
        size: { name: 'taille', description: '3×3 (par défaut), 4×4 ou 5×5', choices: { '3x3': '3×3', '4x4': '4×4', '5x5': '5×5' } },
        user: whose('La mosaïque de qui'),
        period: { ...period, name: 'historique', description: "D'après l'historique d'écoute enregistré sur cette période (au lieu de Spotify)" },
      },
    },
    stats: {
      name: 'stats',
      description: "Statistiques d'écoute de l'historique : écoutes, durée, classements et une image",
      options: { user: { name: 'membre', description: 'Les statistiques de qui (par défaut : les vôtres)' }, period },
    },
    serverstats: {
      name: 'stats-serveur',
      description: "Les statistiques d'écoute de ce serveur, tirées de l'historique, et ses plus grands auditeurs",
      options: { period },
    },
    history: {
      name: 'historique',
      description: "Votre historique d'écoute : enregistrement, import de vos données Spotify, export, suppression",
      options: {
        status: { name: 'état', description: 'Si vos écoutes sont enregistrées, et combien sont conservées' },
        on: { name: 'activer', description: "Enregistrer vos écoutes (depuis votre statut Discord si Spotify n'est pas lié)" },
        off: { name: 'désactiver', description: "Arrêter l'enregistrement (ce qui est conservé reste jusqu'à /history delete)" },
        import: {
          name: 'importer',
          description: 'Ajouter votre export de données Spotify (my_spotify_data.zip ou un fichier JSON Streaming_History)',
          options: { file: { name: 'fichier', description: "my_spotify_data.zip, ou l'un de ses fichiers JSON d'historique" } },
        },
        export: { name: 'exporter', description: 'Télécharger toutes les écoutes que le bot garde pour vous, en fichier JSON' },
        delete: { name: 'supprimer', description: "Supprimer tout ce que le bot garde de votre historique d'écoute" },
      },
    },
    spotify: {
      name: 'spotify',
      description: 'Lier votre propre compte Spotify au bot, ou gérer ce lien',
      options: {
        link: { name: 'lier', description: 'Lier votre propre compte Spotify (/nowplaying, /toptracks… montrent alors le vôtre)' },
        privacy: {
          name: 'confidentialité',
          description: 'Choisir qui peut voir ce que vous écoutez',
          options: {
            visibility: {
              name: 'visibilité',
              description: 'Qui peut le voir',
              choices: { server: 'Les membres des serveurs que nous partageons', private: 'Moi seulement' },
            },
          },
        },
        unlink: {
          name: 'délier',
          description: 'Supprimer tout ce que le bot garde pour votre compte Spotify',
          options: { member: { name: 'membre', description: 'Propriétaire du bot : délier plutôt le compte Spotify de ce membre' } },
        },
        login: { name: 'connexion', description: 'Propriétaire du bot : lier ou relier le compte Spotify du bot' },
        status: { name: 'état', description: 'Propriétaire du bot : santé du lien Spotify et places occupées' },
      },
    },
    announce: {
      name: 'annonces',
      description: 'Publier les nouveaux titres du propriétaire du bot dans un salon de ce serveur',
      options: {
        channel: { name: 'salon', description: 'Où publier chaque nouveau titre' },
        off: { name: 'désactiver', description: 'Arrêter les publications' },
      },
    },
    // ── whoknows, taste, wrapped, recap ──
    whoknows: {
      name: 'qui-connait',
      description: 'Qui sur ce serveur l’a le plus écouté (depuis toujours, d’après l’historique enregistré)',
      options: {
        artist: { name: 'artiste', description: 'Qui sur ce serveur a le plus écouté un artiste', options: { name: { name: 'nom', description: 'Lequel (par défaut : ce que tu écoutes en ce moment)' } } },
        track: { name: 'titre', description: 'Qui sur ce serveur a le plus écouté un titre', options: { name: { name: 'nom', description: 'Lequel (par défaut : ce que tu écoutes en ce moment)' } } },
        album: { name: 'album', description: 'Qui sur ce serveur a le plus écouté un album', options: { name: { name: 'nom', description: 'Lequel (par défaut : ce que tu écoutes en ce moment)' } } },
      },
    },
    taste: {
      name: 'gouts',
      description: 'À quel point tes écoutes recoupent celles d’un membre : score, artistes communs, suggestions',
      options: {
        user: { name: 'membre', description: 'Avec qui comparer tes écoutes' },
        period: { ...period, description: 'Quelle période (par défaut : depuis toujours)' },
      },
    },
    wrapped: {
      name: 'retrospective',
      description: 'Une année d’écoute, d’après l’historique enregistré, en une grande image : minutes, artiste, titres',
      options: {
        year: { name: 'annee', description: 'Quelle année (par défaut : cette année)' },
        user: { name: 'membre', description: 'L’année de qui (par défaut : la tienne)' },
      },
    },
    recap: {
      name: 'recap',
      description: 'Publier le récap hebdomadaire des écoutes de ce serveur dans un salon',
      options: {
        channel: { name: 'salon', description: 'Où publier le récap chaque semaine' },
        off: { name: 'desactiver', description: 'Arrêter de publier le récap' },
      },
    },
    // ── views ──
    serverchart: {
      name: 'mosaïque-serveur',
      description: 'Une mosaïque de pochettes des albums, titres ou artistes les plus écoutés de ce serveur (historique)',
      options: {
        kind: { name: 'type', description: 'Albums (par défaut), titres ou artistes', choices: { albums: 'Albums', tracks: 'Titres', artists: 'Artistes' } },
        period,
        size: { name: 'taille', description: '3×3 (par défaut), 4×4 ou 5×5', choices: { '3x3': '3×3', '4x4': '4×4', '5x5': '5×5' } },
      },
    },
  };
}
