/** Type-level helpers: dotted paths of a config type and the value type at a path. */

type Primitive = string | number | boolean | bigint | symbol | null | undefined | Date;

/** Depth counter: computing paths stops after about 10 levels, where they degrade to `string`. */
type Prev = [never, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** Whether T is a plain object type we descend into (not arrays, functions or primitives). */
type IsBranch<T> = T extends Primitive
  ? false
  : T extends readonly unknown[]
    ? false
    : T extends Function
      ? false
      : true;

/**
 * The dotted paths of T, e.g. `'server' | 'server.port'`. Records (`Record<string, X>`) yield
 * `${string}` segments. Bounded depth keeps large schemas fast to type-check.
 */
export type Paths<T, Depth extends number = 10> = [Depth] extends [never]
  ? string
  : IsBranch<NonNullable<T>> extends true
    ? {
        [K in keyof NonNullable<T> & (string | number)]:
          | `${K}`
          | (IsBranch<NonNullable<NonNullable<T>[K]>> extends true
              ? `${K}.${Paths<NonNullable<T>[K], Prev[Depth]>}`
              : never);
      }[keyof NonNullable<T> & (string | number)]
    : never;

/** The type at dotted path P of T (`undefined` included when a step may be missing). */
export type PathValue<T, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof NonNullable<T>
    ? PathValue<NonNullable<T>[Head], Rest> | (T extends null | undefined ? undefined : never)
    : string extends keyof NonNullable<T>
      ? PathValue<NonNullable<T>[string & keyof NonNullable<T>], Rest>
      : unknown
  : P extends keyof NonNullable<T>
    ? NonNullable<T>[P] | (T extends null | undefined ? undefined : never)
    : string extends keyof NonNullable<T>
      ? NonNullable<T>[string & keyof NonNullable<T>] | undefined
      : unknown;

/** Recursively readonly view of a config tree. */
export type DeepReadonly<T> = T extends Primitive | Function
  ? T
  : T extends readonly (infer Item)[]
    ? readonly DeepReadonly<Item>[]
    : { readonly [K in keyof T]: DeepReadonly<T[K]> };

/** Whether T is the untyped config (no schema, or a schema without static types). */
export type IsUntyped<T> = unknown extends T ? true : string extends keyof T ? true : false;

/** The path argument `get`/`has`/`at`/`watch` accept for config type T. */
export type PathOf<T> = IsUntyped<T> extends true ? string : Paths<T>;

/** The value type `get(path)` returns. */
export type ValueAt<T, P> =
  IsUntyped<T> extends true ? unknown : P extends string ? DeepReadonly<PathValue<T, P>> : unknown;
