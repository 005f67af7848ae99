// The shape of a command module in commands/: its definition, its handler, and the buttons/modals it owns.
import type {
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { App } from '../app.js';

export interface CommandDefinition {
  readonly name: string;
  toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody;
}

export interface SlashCommand {
  data: CommandDefinition;
  execute(interaction: ChatInputCommandInteraction, app: App): Promise<void>;
  /** custom_id prefix of the components this command owns; their interactions go to the handlers below. */
  customIdPrefix?: string;
  handleButton?(interaction: ButtonInteraction, app: App): Promise<void>;
  handleModal?(interaction: ModalSubmitInteraction, app: App): Promise<void>;
}
