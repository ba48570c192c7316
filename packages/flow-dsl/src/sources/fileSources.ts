// Typed rows saved and read back (saveAsObjectFile / objectFile), JSON lines and whole text
// files: installed on Flow and Dataset here, as operators/sparkOperators does, so the classes
// themselves stay small. Executors read the files (task/fileRowsReader.ts in the executor).
import { GleamError } from '@gleam/executor';
import { Dataset } from '../dataset';
import { positiveInt } from '../fields';
import { Flow } from '../flow';
import type { LogicalStep } from '../steps';

declare module '../flow' {
  interface Flow {
    /**
     * Rows saved by saveAsObjectFile, types intact: a saved directory (it must hold _SUCCESS),
     * a part file or a glob; one partition per part file.
     */
    objectFile<R extends unknown[] = unknown[]>(pathOrGlob: string): Dataset<R>;
    /**
     * One row [value] per line: the line's JSON value (an object, array, string, number,
     * boolean or null) as a one-field row. Empty lines are skipped; a line that is not JSON fails
     * the step naming the file and line. Split like textFile; a .gz file is read whole.
     */
    jsonLines<T = unknown>(pathOrGlob: string, opts?: { partitions?: number }): Dataset<[T]>;
    /** One row [path, content] per file (absolute path, UTF-8 text; a .gz file decompressed). */
    wholeTextFiles(pathOrGlob: string, opts?: { partitions?: number }): Dataset<[string, string]>;
  }
}

declare module '../dataset' {
  interface Dataset<R extends unknown[]> {
    /**
     * Saves the rows with their types (msgpack frames), one part-NNNNN file per partition,
     * written under a temporary directory and renamed into `dir` with _SUCCESS when the job
     * succeeds; `dir` is replaced as a whole. Read back with flow.objectFile(dir).
     */
    saveAsObjectFile(dir: string): Flow;
  }
}

function fileSource<R extends unknown[]>(flow: Flow, name: string, pathOrGlob: string, make: (step: string) => LogicalStep): Dataset<R> {
  return new Dataset<R>(flow, flow.addNode(name, (step) => {
    if (typeof pathOrGlob !== 'string' || pathOrGlob === '') throw new GleamError(`step "${step}": ${name} needs a path or glob`, step);
    return make(step);
  }, []));
}

function partitionsOpt(opts: { partitions?: number } | undefined, step: string): number | undefined {
  return opts?.partitions === undefined ? undefined : positiveInt(opts.partitions, step, 'partitions');
}

Flow.prototype.objectFile = function (this: Flow, pathOrGlob: string) {
  return fileSource(this, 'objectFile', pathOrGlob, () => ({ kind: 'objectFile', pattern: pathOrGlob }));
};

Flow.prototype.jsonLines = function (this: Flow, pathOrGlob: string, opts?: { partitions?: number }) {
  return fileSource(this, 'jsonLines', pathOrGlob, (step) => ({ kind: 'jsonLines', pattern: pathOrGlob, partitions: partitionsOpt(opts, step) }));
} as Flow['jsonLines'];

Flow.prototype.wholeTextFiles = function (this: Flow, pathOrGlob: string, opts?: { partitions?: number }) {
  return fileSource<[string, string]>(this, 'wholeTextFiles', pathOrGlob, (step) => ({ kind: 'wholeTextFiles', pattern: pathOrGlob, partitions: partitionsOpt(opts, step) }));
};

Dataset.prototype.saveAsObjectFile = function (this: Dataset<any>, dir: string): Flow {
  if (typeof dir !== 'string' || dir === '') throw new GleamError('saveAsObjectFile needs a directory path');
  return this.flow.addSink(this, { kind: 'objectFile', dir });
};
