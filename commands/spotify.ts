// /spotify login | status — owner only. Re-authorize Spotify from Discord (works for a bot on a remote server with
// no public URL: the owner pastes the redirected URL into a modal), and see the link's health.
import { SlashCommandBuilder } from '@discordjs/builders';
import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { OWNER_ACCOUNT, type App } from '../src/app.js';
import {
  LOGIN_FIELD_ID,
  loginDoneReply,
  loginFailedReply,
  loginModal,
  loginStartReply,
  ownerOnlyReply,
  statusReply,
} from '../src/discord/account-replies.js';
import { CONTEXTS, INTEGRATION_TYPES } from '../src/discord/availability.js';
import { respondWithReply } from '../src/discord/respond.js';
import { grantTimeline } from '../src/grant-health.js';
import {
  AuthorizationCodeError,
  buildAuthorizeUrl,
  checkCallback,
  createState,
  exchangeCode,
  parseRedirect,
} from '../src/spotify/authorization.js';

export const data = new SlashCommandBuilder()
  .setName('spotify')
  .setDescription("Manage the bot's Spotify link (bot owner only)")
  .setIntegrationTypes(INTEGRATION_TYPES)
  .setContexts(CONTEXTS)
  .addSubcommand((sub) => sub.setName('login').setDescription('Link or re-link the Spotify account'))
  .addSubcommand((sub) => sub.setName('status').setDescription("Show the Spotify link's health"));

export const customIdPrefix = 'spotify:';

const PENDING_TTL_MS = 15 * 60_000;
interface PendingLogin {
  state: string;
  redirectUri: string;
  startedAt: number;
}
const pendingKey = (userId: string): string => `login:pending:${userId}`;

async function refuseUnlessOwner(
  interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
  app: App,
): Promise<boolean> {
  const ownerId = app.config.discord.ownerId;
  if (ownerId && interaction.user.id === ownerId) return false;
  app.logger.child('command').info('refused /spotify for a non-owner', { user: interaction.user.id });
  await interaction.reply({ ...ownerOnlyReply(ownerId !== null), flags: MessageFlags.Ephemeral });
  return true;
}

const options = (app: App, what: string) => ({
  logger: app.logger.child('command'),
  what,
  deferAfterMs: app.deferAfterMs,
  ephemeral: true,
});

export async function execute(interaction: ChatInputCommandInteraction, app: App): Promise<void> {
  if (await refuseUnlessOwner(interaction, app)) return;
  const sub = interaction.options.getSubcommand();
  if (sub === 'login') {
    const { clientId, accountsUrl, redirectUri } = app.config.spotify;
    const state = createState();
    await app.storage.set<PendingLogin>(pendingKey(interaction.user.id), { state, redirectUri, startedAt: app.now() }, PENDING_TTL_MS);
    const url = buildAuthorizeUrl({ accountsUrl, clientId, redirectUri, state });
    await interaction.reply({ ...loginStartReply(url, redirectUri), flags: MessageFlags.Ephemeral });
    return;
  }
  await respondWithReply(
    interaction,
    async () => {
      const health = await app.health.status();
      const profile = health && !health.dead ? await app.spotify.getProfile().catch(() => null) : null;
      return statusReply({
        health,
        account: profile ? `${profile.display_name ?? profile.id} (${profile.id})` : null,
        lastSuccessAt: app.spotify.lastSuccessAt,
        rateLimit: app.spotify.rateLimit(),
        now: app.now(),
      });
    },
    options(app, '/spotify status'),
  );
}

export async function handleButton(interaction: ButtonInteraction, app: App): Promise<void> {
  if (await refuseUnlessOwner(interaction, app)) return;
  await interaction.showModal(loginModal());
}

async function finishLogin(interaction: ModalSubmitInteraction, app: App) {
  const pending = await app.storage.get<PendingLogin>(pendingKey(interaction.user.id));
  if (!pending || app.now() - pending.startedAt > PENDING_TTL_MS) {
    return loginFailedReply('This login has expired (or was already used).');
  }
  const params = parseRedirect(interaction.fields.getTextInputValue(LOGIN_FIELD_ID));
  // A pasted bare code carries no state; the pending login (started by this owner, minutes ago) stands in for it.
  const outcome = checkCallback(params, pending.state, { allowMissingState: true });
  if (outcome.kind === 'state_mismatch') {
    return loginFailedReply("That URL belongs to a different login attempt (its `state` doesn't match).");
  }
  if (outcome.kind === 'denied') return loginFailedReply(`Spotify said: ${outcome.error}.`);
  if (outcome.kind === 'no_code') return loginFailedReply("That doesn't contain an authorization code.");

  const { accountsUrl, clientId, clientSecret } = app.config.spotify;
  let grant;
  try {
    grant = await exchangeCode({ accountsUrl, clientId, clientSecret, code: outcome.code, redirectUri: pending.redirectUri });
  } catch (error) {
    // Other failures (Spotify down, bad app credentials) get the usual friendly error reply.
    if (error instanceof AuthorizationCodeError) return loginFailedReply('Spotify rejected the code: it was already used or has expired.');
    throw error;
  }
  await app.storage.delete(pendingKey(interaction.user.id));
  const grantedAt = app.now();
  const stored = await app.tokens.storeAuthorizedGrant(
    OWNER_ACCOUNT,
    { refreshToken: grant.refreshToken, scope: grant.scope || null, grantedAt },
    { token: grant.accessToken, expiresInSeconds: grant.expiresInSeconds },
  );
  app.logger.child('spotify').info('Spotify linked through /spotify login', { scope: grant.scope });
  const profile = await app.spotify.getProfile().catch(() => null);
  return loginDoneReply({
    account: profile ? (profile.display_name ?? profile.id) : null,
    scope: grant.scope,
    expiresAt: grantTimeline(stored, grantedAt).expiresAt,
  });
}

export async function handleModal(interaction: ModalSubmitInteraction, app: App): Promise<void> {
  if (await refuseUnlessOwner(interaction, app)) return;
  await respondWithReply(interaction, () => finishLogin(interaction, app), options(app, '/spotify login'));
}

