// The parsed form of a standing query: what the grammar builds, before the checks of analyze.ts.
// Every node keeps its 0-based offset in the text so a later check can point at it too.

export type Literal = string | number | boolean | null;

export type AggFn = 'count' | 'sum' | 'avg' | 'min' | 'max';

export interface FieldRef {
  kind: 'field';
  /** Dotted path into a JSON record (`user.lang`), a CSV header name, or `line`. */
  path: string;
  pos: number;
}

export interface LiteralRef {
  kind: 'literal';
  value: Literal;
  pos: number;
}

export type Operand = FieldRef | LiteralRef;

export interface AggItem {
  kind: 'agg';
  fn: AggFn;
  /** null for count(*). */
  arg: FieldRef | null;
  pos: number;
}

export interface StarItem {
  kind: 'star';
  pos: number;
}

export type ItemExpr = FieldRef | LiteralRef | AggItem | StarItem;

export interface SelectItem {
  expr: ItemExpr;
  alias?: string;
  pos: number;
}

export type CmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Cond =
  | { kind: 'cmp'; op: CmpOp; left: Operand; right: Operand; pos: number }
  | { kind: 'contains'; operand: Operand; text: string; pos: number }
  | { kind: 'like'; operand: Operand; pattern: string; pos: number }
  | { kind: 'matches'; operand: Operand; regex: string; pos: number }
  | { kind: 'in'; operand: Operand; values: Literal[]; pos: number }
  | { kind: 'isNull'; operand: Operand; pos: number }
  | { kind: 'and'; args: Cond[]; pos: number }
  | { kind: 'or'; args: Cond[]; pos: number }
  | { kind: 'not'; arg: Cond; pos: number };

export interface OrderItem {
  expr: ItemExpr;
  desc: boolean;
  pos: number;
}

export interface Window {
  n: number;
  unit: 'batches' | 'seconds';
  pos: number;
}

export interface QueryAst {
  items: SelectItem[];
  from?: string;
  where?: Cond;
  groupBy: FieldRef[];
  orderBy: OrderItem[];
  limit?: { n: number; pos: number };
  window?: Window;
}
