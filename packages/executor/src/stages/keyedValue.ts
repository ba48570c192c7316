// The DSL's keyed-row convention: key fields are listed in `by`; the value is the single
// remaining field, or the array of the remaining fields when there are several.
import { GleamError, describeRow } from '../errors';
import type { Row } from './stage';

/** Splits rows into key and value, caching the value-field layout per row length. */
export class KeyedRowLayout {
  private readonly valueFieldsByLength = new Map<number, number[]>();
  private readonly maxKeyField: number;
  constructor(readonly keyFields: number[], private readonly step = 'keyed step') {
    this.maxKeyField = Math.max(...keyFields);
  }

  valueFields(len: number, row?: Row): number[] {
    let v = this.valueFieldsByLength.get(len);
    if (v === undefined) {
      if (this.maxKeyField >= len) {
        throw new GleamError(
          `step "${this.step}": by names field ${this.maxKeyField + 1}, but the row has ${len} field${len === 1 ? '' : 's'} (fields are numbered from 1)` +
            (row ? `\n  row: ${describeRow(row)}` : ''),
          this.step,
        );
      }
      v = [];
      for (let i = 0; i < len; i++) if (!this.keyFields.includes(i)) v.push(i);
      this.valueFieldsByLength.set(len, v);
    }
    return v;
  }

  keys(row: Row): unknown[] {
    const k = this.keyFields;
    if (k.length === 1) return [fieldOrNull(row, k[0])];
    const out = new Array(k.length);
    for (let i = 0; i < k.length; i++) out[i] = fieldOrNull(row, k[i]);
    return out;
  }

  /** The row's non-key fields, in order (a join's value fields). */
  values(row: Row): unknown[] {
    const vf = this.valueFields(row.length, row);
    const out = new Array(vf.length);
    for (let i = 0; i < vf.length; i++) out[i] = row[vf[i]];
    return out;
  }

  /** The row's value: its single non-key field, the array of several, or null for none. */
  value(row: Row): unknown {
    const vf = this.valueFields(row.length, row);
    if (vf.length === 1) return row[vf[0]];
    if (vf.length === 0) return null;
    const out = new Array(vf.length);
    for (let i = 0; i < vf.length; i++) out[i] = row[vf[i]];
    return out;
  }

  isMultiValue(rowLength: number): boolean {
    return this.valueFields(rowLength).length > 1;
  }
}

function fieldOrNull(row: Row, i: number): unknown {
  const v = row[i];
  return v === undefined ? null : v;
}
