/** Reading a whole range of etcd's JSON gateway page by page, for {@link EtcdGateway.rangeAll}. */
import { nextKey } from './gateway-codec.js';
import { EtcdGatewayError } from './gateway-errors.js';
import { parseRange, peekRange, type RangePage } from './gateway-requests.js';

/**
 * Keys per page of `rangeAll`. etcd 3.4 collects every revision from a page's first key to the range
 * end before it applies the limit, so small pages cost O(n²) over a large prefix.
 */
export const DEFAULT_PAGE = 20_000;
/** Deadline of one page of rangeAll at least (a page of a large prefix is a big answer). */
export const PAGE_TIMEOUT_MS = 30_000;

/**
 * Reads every page from the encoded key `start` (`fetchPage` asks for `limit` keys from `from`, at
 * `revision` once the first page fixed it), handing each to `onPage`. The next page is asked for
 * before this one is parsed; a page too large for the body limit is asked for again with half the
 * limit. Resolves with the revision and the number of keys.
 */
export async function readPages(
  fetchPage: (from: string, limit: number, revision: string | undefined) => Promise<Buffer>,
  start: string,
  pageSize: number,
  onPage: (page: RangePage) => void,
): Promise<{ revision: string; count: number }> {
  let from = start;
  let limit = pageSize;
  let revision: string | undefined;
  let count = 0;
  const fetch = () => {
    const body = fetchPage(from, limit, revision);
    body.catch(() => undefined);
    return body;
  };
  let pending: Promise<Buffer> | undefined = fetch();
  while (pending !== undefined) {
    let body: Buffer;
    try {
      body = await pending;
    } catch (error) {
      if (error instanceof EtcdGatewayError && error.reason === 'too-large' && limit > 1) {
        limit = Math.ceil(limit / 2);
        pending = fetch();
        continue;
      }
      throw error;
    }
    // The next page is asked for before this one is parsed: etcd encodes it while we decode this one.
    const peek = peekRange(body);
    revision ??= peek?.revision;
    pending = undefined;
    if (peek?.more && peek.lastKey !== undefined) {
      from = nextKey(peek.lastKey);
      pending = fetch();
    }
    const page = parseRange(body);
    revision ??= page.revision;
    count += page.kvs.length;
    const last = page.lastKey;
    delete page.lastKey;
    onPage(page);
    if (peek === undefined && page.more && last !== undefined) {
      from = nextKey(last);
      pending = fetch();
    }
  }
  return { revision: revision ?? '0', count };
}
