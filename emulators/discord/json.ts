// JSON helpers: everything the emulator sends is plain JSON, whatever the bot sent in.
import type { JsonObject, JsonValue, MessagePayload } from './types.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asMessagePayload(value: unknown): MessagePayload {
  return isRecord(value) ? (value as MessagePayload) : {};
}

export function toJson(value: unknown): JsonValue {
  // Values come from JSON.parse or are built here; a round trip drops undefined and guarantees JSON.
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

export function toJsonObject(value: unknown): JsonObject {
  const json = toJson(value);
  return isRecord(json) ? (json as JsonObject) : {};
}
