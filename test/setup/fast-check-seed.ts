// Property tests run from one fixed seed by default, so `npm test` gives the same verdict on every
// run and machine. `FC_SEED=random npm test` explores new cases (the seed of a failure is printed);
// `FC_SEED=<n>` replays one.
import fc from 'fast-check';

const DEFAULT_SEED = 20261204;
const wanted = process.env.FC_SEED;

if (wanted !== 'random') {
  const seed = wanted === undefined || wanted === '' ? DEFAULT_SEED : Number(wanted);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got ${wanted}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
