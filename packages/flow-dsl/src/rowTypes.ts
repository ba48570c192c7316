// Row types at compile time only: how each operator's output row follows from its input row, its
// `by` fields and its UDF's return type. Nothing here exists at run time. Rows whose width is not
// known (string UDFs, select, pipe, csv) are `unknown[]`; UDFs over them may annotate their
// fields freely (the fields are `any`), so string and function UDFs mix in one chain.

/** A row type whose width is not known at compile time (unknown[], string[], any[]). */
type IsOpen<R extends unknown[]> = number extends R['length'] ? true : false;
/** `any` gives up on checking: treat it as a row of unknown width. */
type IsAny<T> = 0 extends 1 & T ? true : false;

/** The argument list of a UDF over rows R: the fields, or anything for rows of unknown shape. */
export type Fields<R extends unknown[]> = unknown[] extends R ? any[] : R;

/**
 * What a map-like UDF may return. The `[]` makes TypeScript infer array literals as tuples
 * (`[word, 1]` is `[string, number]`, not `(string | number)[]`), without const literal types.
 */
export type MapResult = [] | unknown[] | {} | null | undefined;

/**
 * The row a UDF result becomes: an array is the row's fields, any other value a one-field row
 * (of the widened type: `() => 1` gives [number], whose values a reducer may add up).
 */
export type AsRow<T> = IsAny<T> extends true ? unknown[] : ArrayRows<Extract<T, readonly unknown[]>> | ValueRow<Exclude<T, readonly unknown[]>>;
type ArrayRows<T> = T extends readonly unknown[] ? [...T] : never;
type ValueRow<T> = [T] extends [never] ? never : [Widen<T>];
type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T extends bigint ? bigint : T;
/** map's row: `undefined` drops the row. */
export type MapRow<T> = AsRow<Exclude<T, undefined>>;

/** Field number (1-based) -> tuple index. */
type Index = [never, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];

/** A `by` option: one field number or a list of them. */
export type By = number | readonly number[];
/** The key field numbers of `by` (default [1]). */
export type KeyNums<B> = B extends number ? [B] : B extends readonly number[] ? B : [1];

/** The fields numbered Ns, in that order; a field past the row's end is null (as select gives it). */
type PickFields<R extends unknown[], Ns extends readonly number[]> = { -readonly [K in keyof Ns]: Ns[K] extends keyof Index ? (`${Index[Ns[K]]}` extends keyof R ? R[Index[Ns[K]]] : null) : unknown };
type RestFields<R extends unknown[], Ns extends readonly number[], Acc extends unknown[] = [], I extends unknown[] = [0]> = R extends [infer H, ...infer T]
  ? RestFields<T, Ns, I['length'] extends Ns[number] ? Acc : [...Acc, H], [...I, 0]>
  : Acc;

/**
 * Whether the key and value fields of rows R keyed by B are known: R has a known width and B
 * is literal field numbers (a `by` held in a number[] variable could be any fields).
 */
type KnownKeys<R extends unknown[], B> = IsOpen<R> extends true ? false : number extends KeyNums<B>['length'] ? false : number extends KeyNums<B>[number] ? false : true;
/** The key fields of rows R keyed by B. */
export type KeyFields<R extends unknown[], B> = KnownKeys<R, B> extends true ? PickFields<R, KeyNums<B>> : unknown[];
/** The non-key (value) fields of rows R keyed by B. */
export type ValueFields<R extends unknown[], B> = KnownKeys<R, B> extends true ? RestFields<R, KeyNums<B>> : unknown[];
/** A keyed row's value: its single value field, the array of them, or null when there are none. */
export type ValueOf<R extends unknown[], B> = KnownKeys<R, B> extends true ? OneOrAll<ValueFields<R, B>> : any;
type OneOrAll<V extends unknown[]> = V extends [infer X] ? X : V extends [] ? null : V;

/** A row's value for actions over whole rows (reduce, aggregate, min): its single field, else the row. */
export type RowValue<R extends unknown[]> = IsOpen<R> extends true ? any : R extends [infer X] ? X : R;
/** Field 1's type. */
export type FirstField<R extends unknown[]> = IsOpen<R> extends true ? unknown : R[0];
/** A pair row's value (collectAsMap, lookup, mapValues): field 2, or the array of fields 2..n. */
export type PairValue<R extends unknown[]> = IsOpen<R> extends true ? any : R extends [unknown, ...infer V] ? OneOrAll<V> : unknown;

/** What a reducer over values V may return: V, or for multi-field values any array of their field types. */
export type Reduced<V> = V extends unknown[] ? V | V[number][] : V;

/** Each field nullable (the missing side of an outer join). */
export type Nullable<T extends unknown[]> = { [K in keyof T]: T[K] | null };

/** A row shape computed only when both sides have known widths. */
type Known<A extends unknown[], B extends unknown[], Row extends unknown[]> = IsOpen<A> extends true ? unknown[] : IsOpen<B> extends true ? unknown[] : Row;
/** A keyed row shape computed only when both sides' keys and values are known. */
type KnownKeyed<A extends unknown[], B extends unknown[], By, Row extends unknown[]> = KnownKeys<A, By> extends true ? (KnownKeys<B, By> extends true ? Row : unknown[]) : unknown[];

/** [...keys, ...left values, ...right values], the missing sides' values nullable for outer joins. */
export type Joined<L extends unknown[], O extends unknown[], B, NullL extends boolean = false, NullR extends boolean = false> = KnownKeyed<
  L,
  O,
  B,
  [...KeyFields<L, B>, ...(NullL extends true ? Nullable<ValueFields<L, B>> : ValueFields<L, B>), ...(NullR extends true ? Nullable<ValueFields<O, B>> : ValueFields<O, B>)]
>;
/** [...keys, values[]]. */
export type Grouped<R extends unknown[], B> = KnownKeys<R, B> extends true ? [...KeyFields<R, B>, ValueOf<R, B>[]] : unknown[];
/** [...keys, leftValues[], rightValues[]]. */
export type CoGrouped<L extends unknown[], O extends unknown[], B> = KnownKeyed<L, O, B, [...KeyFields<L, B>, ValueOf<L, B>[], ValueOf<O, B>[]]>;
/** [...keys, ...value fields]: a reduction keeps the row's shape (an array result is spread). */
export type ReducedRow<R extends unknown[], B> = KnownKeys<R, B> extends false ? unknown[] : [...KeyFields<R, B>, ...ValueFields<R, B>];
/** [...a, ...b] (cartesian, zip). */
export type Concat<A extends unknown[], B extends unknown[]> = Known<A, B, [...A, ...B]>;
/** The fields `select` picks, in its order. */
export type Selected<R extends unknown[], Ns extends readonly number[]> = IsOpen<R> extends true ? R[number][] : number extends Ns['length'] ? R[number][] : PickFields<R, Ns>;
/** Row when R's width is known, else unknown[]. */
export type IfKnown<R extends unknown[], Row extends unknown[]> = IsOpen<R> extends true ? unknown[] : Row;
/** [...keys, x] (combineByKey, aggregateByKey, updateStateByKey), when the keys are known. */
export type KeysAnd<R extends unknown[], B, X> = KnownKeys<R, B> extends true ? [...KeyFields<R, B>, X] : unknown[];
