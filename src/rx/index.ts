/**
 * The few rxjs classes livecfg uses, imported from rxjs's own module files instead of its index.
 *
 * Why: `import 'rxjs'` loads every operator (~70 ms of a cold start); these files load in a few ms.
 * Under Node both paths resolve to the same files of rxjs's CommonJS build (its `exports` map sends the
 * `node` condition there for `rxjs` and `rxjs/internal/*` alike), so these are the very classes a user's
 * `import { Observable } from 'rxjs'` gets: `instanceof`, `.pipe(map(...))`, `firstValueFrom` and
 * `from()` all work on what livecfg returns. `test/rx.test.ts` holds that.
 */

export { BehaviorSubject } from 'rxjs/internal/BehaviorSubject';
export { Observable } from 'rxjs/internal/Observable';
export { throwError } from 'rxjs/internal/observable/throwError';
export { Subject } from 'rxjs/internal/Subject';
export type { Subscriber } from 'rxjs/internal/Subscriber';
export type { Subscription } from 'rxjs/internal/Subscription';
