/** The `http()` source: a document fetched over HTTP(S), polled or long-polled, with redirects and limits. */
export { type HttpLongPollOptions, type HttpOptions, type HttpSource, http } from './http.js';
