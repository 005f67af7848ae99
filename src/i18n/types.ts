// Message keys and their parameters, derived from the English source file: `t('recent.title')` compiles,
// `t('recent.titel')` or `t('common.span', { form: 1 })` does not. Other languages are typed `Translation<…>`:
// the same keys, with the plural forms of their own language.
import type { messages as english } from './locales/en.js';

type En = typeof english;
export type PluralCategory = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';

type RawKey = keyof En & string;
type BaseOf<K extends string> = K extends `${infer B}_${PluralCategory}` ? B : K;
type PluralRawKey = Extract<RawKey, `${string}_${PluralCategory}`>;
type PluralBase = BaseOf<PluralRawKey>;

export type MessageKey = BaseOf<RawKey>;

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S;
type Placeholders<S> = S extends `${string}{{${infer P}}}${infer Rest}` ? P | Placeholders<Rest> : never;
type NameOf<P extends string> = P extends `${infer N},${string}` ? Trim<N> : Trim<P>;
type FormatOf<P extends string> = P extends `${string},${infer F}` ? Trim<F> : '';
type ValueOf<F extends string> = F extends `number${string}` ? number : string | number;

type RawKeysOf<K extends MessageKey> = K extends PluralBase ? Extract<PluralRawKey, `${K}_${PluralCategory}`> : K;
type PlaceholdersOf<K extends MessageKey> = Placeholders<En[RawKeysOf<K> & RawKey]> & string;

/** The parameters of a message: each placeholder by name; `count: number` for a plural. */
export type ParamsOf<K extends MessageKey> = {
  [P in PlaceholdersOf<K> as NameOf<P>]: NameOf<P> extends 'count' ? number : ValueOf<FormatOf<P>>;
} & (K extends PluralBase ? { count: number } : unknown);

/** `t(key)` for a message without placeholders, `t(key, params)` for one with. */
export type ArgsOf<K extends MessageKey> = [keyof ParamsOf<K>] extends [never] ? [] : [params: ParamsOf<K>];

/** A language file: every key of the source, plurals in the categories `C` of that language. */
export type Translation<C extends PluralCategory> = { readonly [K in Exclude<RawKey, PluralRawKey>]: string } & {
  readonly [K in `${PluralBase}_${C}`]: string;
};
