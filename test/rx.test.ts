import { firstValueFrom, from, map, Observable as RxObservable, Subject as RxSubject, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { loadConfig, memory } from '../src/index.js';
import { Observable, Subject } from '../src/rx/index.js';

describe('rxjs interop (src/rx/ imports rxjs module files, not its index)', () => {
  it('hands out the same classes as the rxjs package', () => {
    expect(Observable).toBe(RxObservable);
    expect(Subject).toBe(RxSubject);
  });

  it("works with the user's operators, firstValueFrom and from()", async () => {
    const source = memory({ a: 1 });
    const config = await loadConfig({ sources: [source] });
    const watched = config.watch('a');
    expect(watched).toBeInstanceOf(RxObservable);
    const doubled = firstValueFrom(watched.pipe(map((value) => Number(value) * 2)));
    expect(await doubled).toBe(2);
    const collected = firstValueFrom(from(config.watch('a')).pipe(toArray()));
    await config.close();
    expect(await collected).toEqual([1]);
  });
});
