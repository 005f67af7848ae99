// Autocomplete through the real discord.js client: registering `autocomplete: true` options (never with choices),
// APPLICATION_COMMAND_AUTOCOMPLETE interactions for them only, and answers (callback type 8) checked as Discord does.
import { describe, expect, it } from 'vitest';
import {
  ApplicationCommandOptionType,
  DiscordAPIError,
  Routes,
  type ApplicationCommandOptionChoiceData,
  type AutocompleteInteraction,
  type Client,
} from 'discord.js';
import type { DiscordEmulator } from '../emulators/discord.js';
import { discordClientsPerTest, nextInteraction } from './support/discord-clients.js';

const { startEmulator, readyClient } = discordClientsPerTest();

function nextAutocomplete(client: Client): Promise<AutocompleteInteraction> {
  return nextInteraction(client, (i): i is AutocompleteInteraction => i.isAutocomplete());
}

const nameOption = (autocomplete: boolean): Record<string, unknown> => ({
  type: ApplicationCommandOptionType.String,
  name: 'name',
  description: 'Which one (default: what you play now)',
  autocomplete,
});

const WHOKNOWS = {
  name: 'whoknows',
  description: 'Who in this server listens to it most',
  options: [
    { type: ApplicationCommandOptionType.Subcommand, name: 'artist', description: 'An artist', options: [nameOption(true)] },
    { type: ApplicationCommandOptionType.Subcommand, name: 'track', description: 'A track', options: [nameOption(false)] },
  ],
};
const PICK = {
  name: 'pick',
  description: 'Numbers',
  options: [{ type: ApplicationCommandOptionType.Integer, name: 'count', description: 'How many', autocomplete: true }],
};

async function register(emulator: DiscordEmulator, client: Client, commands: unknown[]): Promise<unknown> {
  return client.rest.put(Routes.applicationCommands(emulator.applicationId), { body: commands });
}

/** The error an attempt failed with (or 'ok'). */
async function outcome(attempt: Promise<unknown>): Promise<unknown> {
  return attempt.then(
    () => 'ok',
    (error: unknown) => error,
  );
}

describe('registering autocomplete options', () => {
  it('accepts autocomplete on string (and integer) options; refuses it with choices or on other types', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);
    expect(await outcome(register(emulator, client, [WHOKNOWS, PICK]))).toBe('ok');

    const withChoices = { ...nameOption(true), choices: [{ name: 'Dua Lipa', value: 'Dua Lipa' }] };
    const refused = await outcome(register(emulator, client, [{ name: 'x', description: 'x', options: [withChoices] }]));
    expect(refused).toBeInstanceOf(DiscordAPIError);
    expect((refused as DiscordAPIError).code).toBe(50035);
    expect((refused as DiscordAPIError).rawError).toMatchObject({ errors: { 0: { options: { 0: { autocomplete: { _errors: [{ message: 'Autocomplete and choices are mutually exclusive' }] } } } } } });

    const onBoolean = { type: ApplicationCommandOptionType.Boolean, name: 'flag', description: 'A flag', autocomplete: true };
    const alsoRefused = await outcome(register(emulator, client, [{ name: 'x', description: 'x', options: [onBoolean] }]));
    expect((alsoRefused as DiscordAPIError).code).toBe(50035);
    expect(emulator.commands()).toHaveLength(2); // the refused sets replaced nothing
  });
});

describe('autocomplete interactions', () => {
  it('arrive as Discord sends them and resolve with the choices the bot answers', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);
    await register(emulator, client, [WHOKNOWS]);

    const received = nextAutocomplete(client);
    const handle = emulator.autocomplete({
      name: 'whoknows',
      subcommand: 'artist',
      options: [{ name: 'name', type: 3, value: 'dua', focused: true }],
      userId: '1160000000000000101',
    });
    expect(handle.payload).toMatchObject({
      type: 4,
      data: { name: 'whoknows', type: 1, options: [{ name: 'artist', type: 1, options: [{ name: 'name', type: 3, value: 'dua', focused: true }] }] },
    });
    const interaction = await received;
    expect(interaction.commandName).toBe('whoknows');
    expect(interaction.options.getSubcommand()).toBe('artist');
    expect(interaction.options.getFocused(true)).toMatchObject({ name: 'name', value: 'dua' });

    const choices = [
      { name: 'Dua Lipa', value: 'Dua Lipa' },
      { name: 'Dua Saleh', value: 'Dua Saleh' },
    ];
    await interaction.respond(choices);
    expect(await handle.choices()).toEqual(choices);
    expect((await handle.response()).type).toBe(8);
    // Nothing was posted: there is no message to edit or follow up.
    const followUp = await outcome(client.rest.post(Routes.webhook(emulator.applicationId, interaction.token), { body: { content: 'x' }, auth: false }));
    expect((followUp as DiscordAPIError).status).toBe(404);
  });

  it('are refused for what Discord would not send: unregistered commands, options without autocomplete, no single focus', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);
    await register(emulator, client, [WHOKNOWS]);
    const focusedName = [{ name: 'name', type: 3, value: 'dua', focused: true }];

    expect(() => emulator.autocomplete({ name: 'stats', options: focusedName })).toThrow(/not a registered command/);
    expect(() => emulator.autocomplete({ name: 'whoknows', subcommand: 'track', options: focusedName })).toThrow(/not registered with autocomplete/);
    expect(() => emulator.autocomplete({ name: 'whoknows', subcommand: 'album', options: focusedName })).toThrow(/has no option name/);
    expect(() => emulator.autocomplete({ name: 'whoknows', subcommand: 'artist', options: [{ name: 'name', type: 3, value: 'dua' }] })).toThrow(
      /exactly one option must be focused/,
    );
    expect(() => emulator.autocomplete({ name: 'whoknows', subcommand: 'artist', options: [{ name: 'name', type: 4, value: 1, focused: true }] })).toThrow(
      /has no option name of type 4/,
    );
  });

  it('refuse answers Discord refuses: too many or bad choices, values of the wrong type, other callback types, late ones', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);
    await register(emulator, client, [WHOKNOWS, PICK]);
    const ask = async (): Promise<[AutocompleteInteraction, ReturnType<DiscordEmulator['autocomplete']>]> => {
      const received = nextAutocomplete(client);
      const handle = emulator.autocomplete({ name: 'whoknows', subcommand: 'artist', options: [{ name: 'name', type: 3, value: 'a', focused: true }] });
      return [await received, handle];
    };
    const refusal = async (interaction: AutocompleteInteraction, choices: unknown[]): Promise<string> => {
      const error = await outcome(interaction.respond(choices as ApplicationCommandOptionChoiceData[]));
      expect(error).toBeInstanceOf(DiscordAPIError);
      expect((error as DiscordAPIError).code).toBe(50035);
      return JSON.stringify((error as DiscordAPIError).rawError);
    };

    const [interaction, handle] = await ask();
    const many = Array.from({ length: 26 }, (_, i) => ({ name: `Artist ${i}`, value: `Artist ${i}` }));
    expect(await refusal(interaction, many)).toContain('BASE_TYPE_MAX_LENGTH');
    expect(await refusal(interaction, [{ name: '', value: 'x' }])).toContain('"name"');
    expect(await refusal(interaction, [{ name: 'x'.repeat(101), value: 'x' }])).toContain('"name"');
    expect(await refusal(interaction, [{ name: 'Long', value: 'v'.repeat(101) }])).toContain('Must be 100 or fewer in length.');
    expect(await refusal(interaction, [{ name: 'Number', value: 7 }])).toContain('is not a string');
    const bare = await outcome(client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: { type: 8, data: {} }, auth: false }));
    expect((bare as DiscordAPIError).code).toBe(50035);
    // Any other callback type is a 400 too, even a plain reply.
    const reply = await outcome(
      client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: { type: 4, data: { content: 'hi' } }, auth: false }),
    );
    expect((reply as DiscordAPIError).status).toBe(400);
    // Refused answers did not count: a good one still goes through, with 25 choices of exactly 100 characters.
    const most = Array.from({ length: 25 }, (_, i) => ({ name: `${i}`.padEnd(100, 'n'), value: `${i}`.padEnd(100, 'v') }));
    await interaction.respond(most);
    expect(await handle.choices()).toEqual(most);

    // Integer options take integer values.
    const pickReceived = nextAutocomplete(client);
    const pick = emulator.autocomplete({ name: 'pick', options: [{ name: 'count', type: 4, value: '1', focused: true }] });
    const pickInteraction = await pickReceived;
    expect(await refusal(pickInteraction, [{ name: 'One', value: '1' }])).toContain('NUMBER_TYPE_COERCE');
    expect(await refusal(pickInteraction, [{ name: 'Half', value: 1.5 }])).toContain('NUMBER_TYPE_COERCE');
    await pickInteraction.respond([{ name: 'One', value: 1 }]);
    expect(await pick.choices()).toEqual([{ name: 'One', value: 1 }]);

    emulator.interactionDeadlineMs = -1; // every callback is "late" (avoids sleeping 3 s)
    const [late] = await ask();
    const error = await outcome(late.respond([{ name: 'Dua Lipa', value: 'Dua Lipa' }]));
    expect((error as DiscordAPIError).code).toBe(10062);
  });

  it('type 8 answers only autocomplete interactions', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);
    const received = nextInteraction(client, (i) => i.isChatInputCommand());
    emulator.slashCommand({ name: 'nowplaying' });
    const interaction = await received;
    const error = await outcome(
      client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: { type: 8, data: { choices: [] } }, auth: false }),
    );
    expect((error as DiscordAPIError).status).toBe(400);
  });
});
