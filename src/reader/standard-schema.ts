/**
 * The Standard Schema v1 interface (https://standardschema.dev), copied as its authors intend, so that
 * zod 4, valibot, arktype and others validate without an adapter or a dependency.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaV1.Props<Input, Output>;
}

export declare namespace StandardSchemaV1 {
  /** The properties under `~standard`. */
  export interface Props<Input = unknown, Output = Input> {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    readonly types?: Types<Input, Output> | undefined;
  }
  /** A validation result. */
  export type Result<Output> = SuccessResult<Output> | FailureResult;
  /** Success: the parsed output. */
  export interface SuccessResult<Output> {
    readonly value: Output;
    readonly issues?: undefined;
  }
  /** Failure: the issues. */
  export interface FailureResult {
    readonly issues: ReadonlyArray<Issue>;
  }
  /** One issue. */
  export interface Issue {
    readonly message: string;
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  /** A path segment object. */
  export interface PathSegment {
    readonly key: PropertyKey;
  }
  /** Phantom input/output types. */
  export interface Types<Input = unknown, Output = Input> {
    readonly input: Input;
    readonly output: Output;
  }
  /** The output type of a schema. */
  export type InferOutput<Schema extends StandardSchemaV1> = NonNullable<
    Schema['~standard']['types']
  >['output'];
}

/** Whether a value implements Standard Schema v1. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { '~standard'?: { validate?: unknown } })['~standard']?.validate === 'function'
  );
}

/** The keys of an issue's path as strings. */
export function issuePath(issue: StandardSchemaV1.Issue): string[] {
  return (issue.path ?? []).map((segment) =>
    typeof segment === 'object' && segment !== null ? String(segment.key) : String(segment),
  );
}
