/**
 * Consul sessions (`agent/consul/state/session.go`, `session_ttl.go`): create, renew, destroy,
 * TTL expiry after TTL × multiplier, and the release/delete behaviour on the keys a session holds.
 */
import { randomUUID } from 'node:crypto';
import type { KvStore } from './store.js';

/** One session, as `/v1/session/info` shows it. */
export interface Session {
  readonly id: string;
  readonly name: string;
  readonly node: string;
  readonly behavior: 'release' | 'delete';
  /** Lock-delay in ms (0 to 60 s). */
  readonly lockDelayMs: number;
  /** The TTL as given (`"10s"`), or `""` for none. */
  readonly ttl: string;
  readonly ttlMs: number;
  readonly nodeChecks: readonly string[];
  readonly createIndex: number;
  readonly modifyIndex: number;
}

/** Session settings of the server (Consul's `session_ttl_min`, and the fixed `SessionTTLMultiplier`). */
export interface SessionSettings {
  /** Smallest TTL accepted, ms (Consul: `session_ttl_min`, default 10 s). */
  readonly minTtlMs: number;
  /** Largest TTL accepted, ms (86,400 s). */
  readonly maxTtlMs: number;
  /** A session expires after TTL × this (Consul: 2). */
  readonly ttlMultiplier: number;
}

/** Consul's limits. */
export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  minTtlMs: 10_000,
  maxTtlMs: 86_400_000,
  ttlMultiplier: 2,
};

/** The largest lock-delay Consul keeps (`maxLockDelay`); longer ones are cut to it. */
export const MAX_LOCK_DELAY_MS = 60_000;

/** What `create` needs (already parsed and checked). */
export interface SessionSpec {
  name: string;
  node: string;
  behavior: 'release' | 'delete';
  lockDelayMs: number;
  ttl: string;
  ttlMs: number;
  nodeChecks: readonly string[];
}

/** The live sessions and their TTL timers. */
export class SessionTable {
  private readonly sessions = new Map<string, Session>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Called with each session that expired (for the server's events). */
  onExpire: ((session: Session) => void) | undefined;

  constructor(
    private readonly store: KvStore,
    readonly settings: SessionSettings,
  ) {}

  /** Creates a session (one raft index) and starts its TTL timer. */
  create(spec: SessionSpec): Session {
    const index = this.store.bump();
    const session: Session = { id: randomUUID(), ...spec, createIndex: index, modifyIndex: index };
    this.sessions.set(session.id, session);
    this.arm(session);
    return session;
  }

  /** The session, if it is alive. */
  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Every live session, oldest first. */
  list(): Session[] {
    return [...this.sessions.values()];
  }

  /** Resets the TTL timer; `undefined` when the session is gone. */
  renew(id: string): Session | undefined {
    const session = this.sessions.get(id);
    if (session) this.arm(session);
    return session;
  }

  /** Invalidates a session: its keys are released or deleted, and their lock-delay starts. */
  destroy(id: string, now = Date.now()): boolean {
    const session = this.sessions.get(id);
    if (!session) return false;
    this.disarm(id);
    this.sessions.delete(id);
    this.store.invalidateSession(id, session.behavior, now + session.lockDelayMs);
    return true;
  }

  /** Stops every timer (server close); the sessions stay as they are. */
  stopTimers(): void {
    for (const id of [...this.timers.keys()]) this.disarm(id);
  }

  private arm(session: Session): void {
    this.disarm(session.id);
    if (session.ttlMs === 0) return;
    const timer = setTimeout(() => {
      this.timers.delete(session.id);
      if (this.destroy(session.id)) this.onExpire?.(session);
    }, session.ttlMs * this.settings.ttlMultiplier);
    timer.unref();
    this.timers.set(session.id, timer);
  }

  private disarm(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }
}

/** A session as Consul's JSON shows it (`structs.Session`; LockDelay in nanoseconds). */
export function sessionJson(session: Session): Record<string, unknown> {
  return {
    ID: session.id,
    Name: session.name,
    Node: session.node,
    LockDelay: session.lockDelayMs * 1e6,
    Behavior: session.behavior,
    TTL: session.ttl,
    NodeChecks: session.nodeChecks,
    ServiceChecks: null,
    CreateIndex: session.createIndex,
    ModifyIndex: session.modifyIndex,
  };
}
