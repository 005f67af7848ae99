// Português (Brasil): command names and descriptions, by the English names (see ../command-texts.ts).
import type { CommandsFile, OptionTexts } from '../command-texts.js';

/** Made at each command sync and let go after it (the texts are not kept in memory). */
export function commands(): CommandsFile['commands'] {
  const range: OptionTexts = {
    name: 'período',
    description: 'Qual período (padrão: últimas 4 semanas)',
    choices: { short_term: 'Últimas 4 semanas', medium_term: 'Últimos 6 meses', long_term: 'Último ano' },
  };
  const period: OptionTexts = {
    name: 'período',
    description: 'Qual período (padrão: últimos 30 dias)',
    choices: { week: 'Últimos 7 dias', month: 'Últimos 30 dias', year: 'Últimos 365 dias', all: 'Desde sempre' },
  };
  const limit: OptionTexts = { name: 'quantidade', description: 'Quantos mostrar, de 1 a 50 (padrão: 10)' };
  const whose = (what: string): OptionTexts => ({
    name: 'membro',
    description: `${what} (padrão: os seus se você vinculou o Spotify; senão, os do dono do bot)`,
  });

  return {
    nowplaying: {
      name: 'tocando-agora',
      description: 'Mostra o que você, um membro ou o dono do bot está ouvindo no Spotify agora',
      options: {
        user: { name: 'membro', description: 'De quem (padrão: você, se vinculou o Spotify ou ele aparece no status; senão, o dono)' },
        style: {
          name: 'estilo',
          description: 'Um card (imagem com o texto, padrão) ou só texto',
          choices: { card: 'Card (uma imagem, com o texto)', text: 'Só texto' },
        },
      },
    },
    listening: { name: 'quem-está-ouvindo', description: 'Mostra quem neste servidor está ouvindo Spotify agora' },
    recent: {
      name: 'recentes',
      description: 'Mostra o que você (um membro ou o dono do bot) ouviu por último no Spotify',
      options: { limit: { name: 'quantidade', description: 'Quantas faixas listar, de 1 a 50 (padrão: 10)' }, user: whose('De quem') },
    },
    toptracks: {
      name: 'top-faixas',
      description: 'Mostra as faixas mais ouvidas do dono do bot no Spotify',
      options: { range, limit, user: whose('A lista de quem') },
    },
    topartists: {
      name: 'top-artistas',
      description: 'Mostra os artistas mais ouvidos do dono do bot no Spotify',
      options: { range, limit, user: whose('A lista de quem') },
    },
    chart: {
      name: 'mosaico',
      description: 'Um mosaico de capas dos álbuns, faixas ou artistas mais ouvidos no Spotify',
      options: {
        kind: {
          name: 'tipo',
          description: 'Álbuns (padrão), faixas ou artistas',
          choices: { albums: 'Álbuns (das suas faixas mais ouvidas)', tracks: 'Faixas', artists: 'Artistas' },
        },
        range,
        size: { name: 'tamanho', description: '3×3 (padrão), 4×4 ou 5×5', choices: { '3x3': '3×3', '4x4': '4×4', '5x5': '5×5' } },
        user: whose('O mosaico de quem'),
        period: { ...period, name: 'histórico', description: 'Do histórico de escuta salvo neste período (em vez do Spotify)' },
      },
    },
    stats: {
      name: 'estatísticas',
      description: 'Estatísticas do histórico salvo: reproduções, tempo, mais ouvidos e uma imagem',
      options: { user: { name: 'membro', description: 'De quem (padrão: suas)' }, period },
    },
    serverstats: {
      name: 'estatísticas-servidor',
      description: 'As estatísticas de escuta deste servidor, do histórico salvo, e quem mais ouve',
      options: { period },
    },
    history: {
      name: 'histórico',
      description: 'Seu histórico de escuta: gravação, importação dos seus dados do Spotify, exportação, exclusão',
      options: {
        status: { name: 'status', description: 'Se suas reproduções estão sendo gravadas e quantas estão salvas' },
        on: { name: 'ativar', description: 'Gravar suas reproduções (pelo seu status do Discord, se não vinculou o Spotify)' },
        off: { name: 'desativar', description: 'Parar de gravar (o que está salvo fica até /history delete)' },
        import: {
          name: 'importar',
          description: 'Adicionar sua exportação de dados do Spotify (my_spotify_data.zip ou um JSON Streaming_History)',
          options: { file: { name: 'arquivo', description: 'my_spotify_data.zip ou um dos arquivos JSON de histórico dele' } },
        },
        export: { name: 'exportar', description: 'Baixar todas as reproduções que o bot guarda de você, em um arquivo JSON' },
        delete: { name: 'apagar', description: 'Apagar tudo o que o bot guarda do seu histórico de escuta' },
      },
    },
    spotify: {
      name: 'spotify',
      description: 'Vincule sua própria conta do Spotify ao bot ou gerencie o vínculo',
      options: {
        link: { name: 'vincular', description: 'Vincular sua conta do Spotify (aí /nowplaying, /toptracks… mostram a sua)' },
        privacy: {
          name: 'privacidade',
          description: 'Escolha quem pode ver o que você ouve',
          options: {
            visibility: {
              name: 'visibilidade',
              description: 'Quem pode ver',
              choices: { server: 'Membros dos servidores que temos em comum', private: 'Só eu' },
            },
          },
        },
        unlink: {
          name: 'desvincular',
          description: 'Apagar tudo o que o bot guarda da sua conta do Spotify',
          options: { member: { name: 'membro', description: 'Dono do bot: desvincular a conta do Spotify deste membro' } },
        },
        login: { name: 'entrar', description: 'Dono do bot: vincular ou revincular a conta do Spotify do próprio bot' },
        status: { name: 'status', description: 'Dono do bot: saúde do vínculo com o Spotify e vagas em uso' },
      },
    },
    announce: {
      name: 'anunciar',
      description: 'Postar as novas faixas do dono do bot em um canal deste servidor',
      options: {
        channel: { name: 'canal', description: 'Onde postar cada nova faixa' },
        off: { name: 'desativar', description: 'Parar de postar' },
      },
    },
    // ── whoknows, taste, wrapped, recap ──
    whoknows: {
      name: 'quem-conhece',
      description: 'Quem neste servidor mais ouviu (todo o período, a partir do histórico salvo)',
      options: {
        artist: { name: 'artista', description: 'Quem neste servidor mais ouviu um artista', options: { name: { name: 'nome', description: 'Qual (padrão: o que você está ouvindo agora)' } } },
        track: { name: 'faixa', description: 'Quem neste servidor mais ouviu uma faixa', options: { name: { name: 'nome', description: 'Qual (padrão: o que você está ouvindo agora)' } } },
        album: { name: 'album', description: 'Quem neste servidor mais ouviu um álbum', options: { name: { name: 'nome', description: 'Qual (padrão: o que você está ouvindo agora)' } } },
      },
    },
    taste: {
      name: 'afinidade',
      description: 'O quanto o que você ouve combina com o de um membro: pontuação, artistas em comum e sugestões',
      options: {
        user: { name: 'membro', description: 'Com quem comparar o que você ouve' },
        period: { ...period, description: 'Qual período (padrão: todo o período)' },
      },
    },
    wrapped: {
      name: 'retrospectiva',
      description: 'Um ano de audição do histórico salvo em uma imagem alta: minutos, artista, músicas, picos',
      options: {
        year: { name: 'ano', description: 'Qual ano (padrão: este ano)' },
        user: { name: 'membro', description: 'O ano de quem (padrão: o seu)' },
      },
    },
    recap: {
      name: 'resumo-semanal',
      description: 'Publicar em um canal o resumo semanal do que se ouve neste servidor',
      options: {
        channel: { name: 'canal', description: 'Onde publicar o resumo toda semana' },
        off: { name: 'desativar', description: 'Parar de publicar o resumo' },
      },
    },
    // ── views ──
    serverchart: {
      name: 'mosaico-servidor',
      description: 'Um mosaico de capas dos álbuns, faixas ou artistas mais ouvidos deste servidor (histórico salvo)',
      options: {
        kind: { name: 'tipo', description: 'Álbuns (padrão), faixas ou artistas', choices: { albums: 'Álbuns', tracks: 'Faixas', artists: 'Artistas' } },
        period,
        size: { name: 'tamanho', description: '3×3 (padrão), 4×4 ou 5×5', choices: { '3x3': '3×3', '4x4': '4×4', '5x5': '5×5' } },
      },
    },
  };
}
