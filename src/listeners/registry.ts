// Per-listener state, created on demand: each listener gets a scope holding their Spotify client and whatever
// the features keep for them (listening state, top lists, grant health, …). Features declare that state as
// parts (`register`); the registry knows nothing about them, so a new feature adds a part without editing it.
//
// Bounded: at most `maxScopes` listeners are held in memory, least recently used first out; the owner's scope is
// pinned (the presence job and grant health follow it). An evicted scope is rebuilt on the next call — the grant
// and caches in storage survive, only in-memory state (coalescing, freshness, rate-limit clock) starts over.
// `delete` forgets a listener entirely in one call: the in-memory scope, their tokens, and every part's storage.
import type { Logger } from '../logger.js';
import { SpotifyClient, type SpotifyClientOptions } from '../spotify/client.js';
import type { TokenManager } from '../spotify/tokens.js';
import { accountKey, OWNER, OWNER_ACCOUNT, type AccountKey, type Listener } from './listener.js';

/** A piece of per-listener state a feature keeps: how to build it, stop it, and erase what it stored. */
export interface ListenerPart<T> {
  readonly name: string;
  create(scope: ListenerScope): T;
  /** Release timers or listeners when the scope leaves memory (eviction or delete). */
  dispose?(value: T): void;
  /**
   * Delete what this part stored for the account; called by `delete`, whether or not the scope is in memory,
   * before the account's grant is forgotten.
   */
  erase?(account: AccountKey): Promise<void>;
}

export class ListenerScope {
  private readonly parts = new Map<ListenerPart<unknown>, unknown>();

  constructor(
    readonly listener: Listener,
    readonly account: AccountKey,
    /** Spotify Web API for this listener's account. */
    readonly spotify: SpotifyClient,
  ) {}

  /** This listener's instance of a part, built on first use. */
  get<T>(part: ListenerPart<T>): T {
    if (this.parts.has(part)) return this.parts.get(part) as T;
    const value = part.create(this);
    this.parts.set(part, value);
    return value;
  }

  /** Stop every part built so far. */
  dispose(): void {
    for (const [part, value] of this.parts) part.dispose?.(value);
    this.parts.clear();
  }
}

export interface ListenerRegistryOptions {
  tokens: TokenManager;
  /** Everything a SpotifyClient needs except the account. */
  spotify: Omit<SpotifyClientOptions, 'account' | 'tokens'>;
  logger: Logger;
  /** Scopes held in memory, the owner's included (default 16). */
  maxScopes?: number;
}

export class ListenerRegistry {
  /** Insertion order is recency order: the last entry is the most recently used. */
  private readonly scopes = new Map<AccountKey, ListenerScope>();
  private readonly parts = new Set<ListenerPart<unknown>>();
  private readonly maxScopes: number;

  constructor(private readonly options: ListenerRegistryOptions) {
    this.maxScopes = Math.max(1, options.maxScopes ?? 16);
  }

  /** Register a part so `delete` can erase its storage even for listeners not in memory. */
  register<T>(part: ListenerPart<T>): ListenerPart<T> {
    this.parts.add(part as ListenerPart<unknown>);
    return part;
  }

  /** The listener's scope, created on demand. */
  scope(listener: Listener): ListenerScope {
    const account = accountKey(listener);
    const existing = this.scopes.get(account);
    if (existing) {
      this.scopes.delete(account);
      this.scopes.set(account, existing);
      return existing;
    }
    const scope = new ListenerScope(
      listener,
      account,
      new SpotifyClient({ ...this.options.spotify, tokens: this.options.tokens, account }),
    );
    this.scopes.set(account, scope);
    this.evict();
    return scope;
  }

  /** The owner's scope: always in memory. */
  get owner(): ListenerScope {
    return this.scope(OWNER);
  }

  /** One listener's instance of a part (shorthand for `scope(listener).get(part)`). */
  part<T>(listener: Listener, part: ListenerPart<T>): T {
    return this.scope(listener).get(part);
  }

  /** Account keys of the scopes in memory, least recently used first. */
  inMemory(): AccountKey[] {
    return [...this.scopes.keys()];
  }

  /** Forget a listener: their scope, tokens and everything the parts stored. For `/spotify unlink` (#10). */
  async delete(listener: Listener): Promise<void> {
    const account = accountKey(listener);
    this.scopes.get(account)?.dispose();
    this.scopes.delete(account);
    // Parts first: some find what to erase through the grant (grant health's notices are keyed by its token).
    await Promise.all([...this.parts].map((part) => part.erase?.(account)));
    await this.options.tokens.forgetAccount(account);
    this.options.spotify.gate?.forget(account);
    this.options.logger.info('listener forgotten', { account });
  }

  /** Stop every scope's parts (timers, subscriptions). */
  dispose(): void {
    for (const scope of this.scopes.values()) scope.dispose();
    this.scopes.clear();
  }

  private evict(): void {
    for (const [account, scope] of this.scopes) {
      if (this.scopes.size <= this.maxScopes) return;
      if (account === OWNER_ACCOUNT) continue;
      scope.dispose();
      this.scopes.delete(account);
    }
  }
}
