import { afterAll, beforeAll } from 'vitest';
import { EtcdGateway } from '../../src/sources/etcd/gateway.js';
import { type EtcdServer, startEtcd } from './etcd-server.js';

/** A real etcd for one test file: started before all tests, stopped after them (even on failure). */
export interface EtcdFixture {
  readonly server: EtcdServer;
  /** A client for the tests' own puts and deletes. */
  readonly admin: EtcdGateway;
}

/** Registers the hooks and returns the fixture; its fields are set once `beforeAll` has run. */
export function useEtcd(): EtcdFixture {
  const fixture = {} as { server: EtcdServer; admin: EtcdGateway };
  beforeAll(async () => {
    fixture.server = await startEtcd();
    fixture.admin = new EtcdGateway({ hosts: [fixture.server.endpoint] });
  });
  afterAll(async () => {
    fixture.admin?.close();
    await fixture.server?.close();
  });
  return fixture;
}
