// The discord-api-spec package points its `./zod` types at the JavaScript file itself, which TypeScript cannot read
// without allowJs. This declares the part of that module the emulator uses: request-body schemas (zod/mini objects)
// and the shape of the issues they report.
declare module 'discord-api-spec/zod' {
  /** One problem zod found; `errors` holds each branch's issues for a failed union. */
  export interface SpecIssue {
    code: string;
    path: PropertyKey[];
    message: string;
    errors?: SpecIssue[][];
    values?: unknown[];
    expected?: string;
    origin?: string;
    format?: string;
    maximum?: number | bigint;
    minimum?: number | bigint;
    inclusive?: boolean;
  }
  export type SpecParseResult = { success: true } | { success: false; error: { issues: SpecIssue[] } };
  export interface SpecSchema {
    safeParse(data: unknown): SpecParseResult;
  }
  export const ApplicationCommandAutocompleteCallbackRequestSchema: SpecSchema;
  export const CreateMessageInteractionCallbackRequestSchema: SpecSchema;
  export const ModalInteractionCallbackRequestSchema: SpecSchema;
  export const PongInteractionCallbackRequestSchema: SpecSchema;
  export const UpdateMessageInteractionCallbackRequestSchema: SpecSchema;
  export const LaunchActivityInteractionCallbackRequestSchema: SpecSchema;
  export const IncomingWebhookRequestPartialSchema: SpecSchema;
  export const IncomingWebhookUpdateRequestPartialSchema: SpecSchema;
  export const MessageCreateRequestSchema: SpecSchema;
  export const MessageEditRequestPartialSchema: SpecSchema;
  export const ApplicationCommandUpdateRequestSchema: SpecSchema;
  export const ApplicationCommandCreateRequestSchema: SpecSchema;
  export const ApplicationCommandPatchRequestPartialSchema: SpecSchema;
  export const CreatePrivateChannelRequestSchema: SpecSchema;
}
