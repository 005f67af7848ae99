// The shape of a command module in commands/: its definition, its handler, and the buttons/modals it owns.
import type {
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotServices } from '../services.js';

export interface CommandDefinition {
  readonly name: string;
  toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody;
}

export interface SlashCommand {
  data: CommandDefinition;
  execute(interaction: ChatInputCommandInteraction, app: BotServices): Promise<void>;
  /** custom_id prefix of the components this command owns; their interactions go to the handlers below. */
  customIdPrefix?: string;
  handleButton?(interaction: ButtonInteraction, app: BotServices): Promise<void>;
  handleModal?(interaction: ModalSubmitInteraction, app: BotServices): Promise<void>;
}
