import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll } from 'vitest';
import { type EtcdServer, startEtcd } from './etcd-server.js';

/** A real etcd for one test file: started before all tests, stopped after them (even on failure). */
export interface EtcdFixture {
  readonly server: EtcdServer;
  /** A client for the tests' own puts and deletes. */
  readonly admin: Etcd3;
}

/** Registers the hooks and returns the fixture; its fields are set once `beforeAll` has run. */
export function useEtcd(): EtcdFixture {
  const fixture = {} as { server: EtcdServer; admin: Etcd3 };
  beforeAll(async () => {
    fixture.server = await startEtcd();
    fixture.admin = new Etcd3({ hosts: fixture.server.endpoint });
  });
  afterAll(async () => {
    fixture.admin?.close();
    await fixture.server?.close();
  });
  return fixture;
}
