/** The URL rewriting of livecfg/fastify's inspector mount: pure, property-tested. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePrefix, urlBelowMount } from '../../src/integrations/fastify/mount.js';

const segment = fc.stringMatching(/^[a-zA-Z0-9._~-]{1,8}$/);
const mountPath = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => `/${parts.join('/')}`);
const localPath = fc.array(segment, { maxLength: 3 }).map((parts) => `/${parts.join('/')}`);
const query = fc.option(fc.stringMatching(/^[a-z0-9=&]{0,10}$/), { nil: undefined });

describe('urlBelowMount', () => {
  it('examples', () => {
    expect(urlBelowMount('/config', '/config')).toBe('/');
    expect(urlBelowMount('/config/', '/config')).toBe('/');
    expect(urlBelowMount('/config?x=1', '/config')).toBe('/?x=1');
    expect(urlBelowMount('/admin/config/api/explain?path=a.b', '/admin/config')).toBe(
      '/api/explain?path=a.b',
    );
  });

  it('strips exactly the mount and keeps the rest, query included', () => {
    fc.assert(
      fc.property(mountPath, localPath, query, (mount, local, q) => {
        const suffix = q === undefined ? '' : `?${q}`;
        const below = urlBelowMount(`${mount}${local}${suffix}`, mount);
        expect(below).toBe(`${local}${suffix}`);
        expect(below.startsWith('/')).toBe(true);
        expect(urlBelowMount(`${mount}${suffix}`, mount)).toBe(`/${suffix}`);
      }),
    );
  });
});

describe('normalizePrefix', () => {
  it('gives one leading slash and no trailing one; the root is empty', () => {
    expect(normalizePrefix('/')).toBe('');
    expect(normalizePrefix('config/')).toBe('/config');
    fc.assert(
      fc.property(mountPath, fc.boolean(), fc.boolean(), (path, dropLead, addTrail) => {
        const input = `${dropLead ? path.slice(1) : path}${addTrail ? '/' : ''}`;
        expect(normalizePrefix(input)).toBe(path);
      }),
    );
  });
});
