// Follows a JSON-lines file as it grows, a bounded chunk at a time: only the bytes appended since the last read, a torn
// last line kept for the next read, lines that do not parse or validate counted and skipped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RecordParser } from './records';

/** Bytes read at a time: besides one unfinished line, no more of a file than this is held at once. */
export const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/** What a read found besides the records. */
export interface LinesRead {
  /** The file shrank (a resumed run cut it back): these records replace, rather than extend, those read before. */
  reset: boolean;
  /** Complete lines skipped because they did not parse or validate. */
  invalid: number;
  /** Why the first of them was skipped. */
  problem?: string;
}

export interface TailRead<T> extends LinesRead {
  records: T[];
}

/** Called with each record and the file offset just past its line; returning false ends the scan there. */
export type EachRecord<T> = (record: T, end: number) => boolean | void;

export class JsonLinesTail<T> {
  /** File offset of the next byte to read: everything before it is parsed or held in `pending`. */
  private offset: number;
  /** The bytes of a line whose newline has not been read yet. */
  private pending: Buffer[] = [];
  private lineNumber = 0;
  /** Started part-way into the file: the bytes up to the first newline are the end of a line not ours to read. */
  private midLine: boolean;
  private readonly chunkBytes: number;

  /** `from`: start at this offset rather than the file's start (to read only its end). */
  constructor(readonly file: string, private readonly parse: RecordParser<T>, options: { from?: number; chunkBytes?: number } = {}) {
    this.offset = options.from ?? 0;
    this.midLine = this.offset > 0;
    this.chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  }

  /** The records appended since the last read; none while the file does not exist. */
  async read(): Promise<TailRead<T>> {
    const records: T[] = [];
    return { ...(await this.scan((record) => void records.push(record))), records };
  }

  /** `scanSync` for a caller that must not block, such as the extension host: one chunk is read at a time. */
  async scan(each: EachRecord<T>): Promise<LinesRead> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(this.file, 'r');
    } catch {
      return { reset: false, invalid: 0 };
    }
    try {
      const size = (await handle.stat()).size;
      const read = this.begin(size);
      const buffer = Buffer.allocUnsafe(Math.min(this.chunkBytes, size - this.offset));
      while (this.offset < size) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - this.offset), this.offset);
        if (bytesRead === 0 || !this.take(buffer.subarray(0, bytesRead), read, each)) break;
      }
      return read;
    } finally {
      await handle.close();
    }
  }

  /** `read` for a caller that may block, such as the trainer resuming a run. */
  readSync(): TailRead<T> {
    const records: T[] = [];
    return { ...this.scanSync((record) => void records.push(record)), records };
  }

  /** Hands each record appended since the last read to `each`, in file order, until it returns false. */
  scanSync(each: EachRecord<T>): LinesRead {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return { reset: false, invalid: 0 };
    }
    try {
      const size = fs.fstatSync(fd).size;
      const read = this.begin(size);
      const buffer = Buffer.allocUnsafe(Math.min(this.chunkBytes, size - this.offset));
      while (this.offset < size) {
        const bytesRead = fs.readSync(fd, buffer, 0, Math.min(buffer.length, size - this.offset), this.offset);
        if (bytesRead === 0 || !this.take(buffer.subarray(0, bytesRead), read, each)) break;
      }
      return read;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Starts a read of a file now `size` bytes long: over from its start when it shrank. */
  private begin(size: number): LinesRead {
    if (size >= this.offset) return { reset: false, invalid: 0 };
    this.offset = 0;
    this.pending = [];
    this.lineNumber = 0;
    this.midLine = false;
    return { reset: true, invalid: 0 };
  }

  /** Parses the complete lines of `chunk` (read at `this.offset`); false when `each` asked to stop. */
  private take(chunk: Buffer, read: LinesRead, each: EachRecord<T>): boolean {
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline >= 0; newline = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, newline);
      const line = this.pending.length ? Buffer.concat([...this.pending, piece]) : piece;
      this.pending = [];
      start = newline + 1;
      if (this.midLine) {
        this.midLine = false;
        continue;
      }
      // A multi-byte character never holds a newline byte, so a complete line always decodes whole.
      const record = this.parseLine(line.toString('utf8'), read);
      if (record !== undefined && each(record, this.offset + start) === false) {
        this.offset += start;
        return false;
      }
    }
    // Copied: the read buffer is reused for the next chunk.
    if (start < chunk.length) this.pending.push(Buffer.from(chunk.subarray(start)));
    this.offset += chunk.length;
    return true;
  }

  private parseLine(text: string, read: LinesRead): T | undefined {
    this.lineNumber++;
    if (!text.trim()) return undefined;
    const where = `${path.basename(this.file)} line ${this.lineNumber}`;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return this.skip(read, `${where}: ${(e as Error).message}`);
    }
    const parsed = this.parse(value, where);
    return parsed.ok ? parsed.value : this.skip(read, parsed.error);
  }

  private skip(read: LinesRead, problem: string): undefined {
    read.invalid++;
    read.problem ??= problem;
    return undefined;
  }
}
