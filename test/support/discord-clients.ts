// Raw discord.js clients against Discord emulators, for the emulator's own tests: every emulator and client a test
// starts is closed after it (register the afterEach by calling `discordClientsPerTest()` at the top of a file).
import { once } from 'node:events';
import { afterEach } from 'vitest';
import { Client, GatewayIntentBits, type ClientOptions, type Interaction } from 'discord.js';
import { DiscordEmulator, type DiscordEmulatorOptions } from '../../emulators/discord.js';

export interface DiscordClients {
  startEmulator(opts?: DiscordEmulatorOptions): Promise<DiscordEmulator>;
  /** A client pointed at the emulator's REST API (Guilds intent unless `extra.intents` says otherwise), not logged in. */
  newClient(emulator: DiscordEmulator, extra?: Partial<ClientOptions>): Client;
  /** A client logged in to the emulator and ready. */
  readyClient(emulator: DiscordEmulator, extra?: Partial<ClientOptions>): Promise<Client<true>>;
}

export function discordClientsPerTest(): DiscordClients {
  const clients: Client[] = [];
  const emulators: DiscordEmulator[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await Promise.all(emulators.splice(0).map((e) => e.close()));
  });
  const newClient = (emulator: DiscordEmulator, extra: Partial<ClientOptions> = {}): Client => {
    const client = new Client({ intents: [GatewayIntentBits.Guilds], ...extra, rest: { api: emulator.apiUrl, ...extra.rest } });
    clients.push(client);
    return client;
  };
  return {
    async startEmulator(opts) {
      const emulator = await DiscordEmulator.start(opts);
      emulators.push(emulator);
      return emulator;
    },
    newClient,
    async readyClient(emulator, extra = {}) {
      const client = newClient(emulator, extra);
      const ready = once(client, 'clientReady');
      await client.login(emulator.token);
      await ready;
      if (!client.isReady()) throw new Error('client not ready');
      return client;
    },
  };
}

/** Resolves with the next interaction the client emits that satisfies `predicate`. */
export function nextInteraction<T extends Interaction>(client: Client, predicate: (i: Interaction) => i is T): Promise<T> {
  return new Promise<T>((resolve) => {
    const listener = (i: Interaction): void => {
      if (!predicate(i)) return;
      client.off('interactionCreate', listener);
      resolve(i);
    };
    client.on('interactionCreate', listener);
  });
}
