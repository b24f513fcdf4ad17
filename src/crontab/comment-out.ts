/**
 * The edit `--replace` makes to the user's crontab: each migrated line becomes a comment, under a marker naming
 * the pipeline that runs it now. Nothing else changes, byte for byte, so the assignments above stay in force for
 * the lines that remain, and the backup taken before is all `--undo` needs.
 */

export const MARKER = '# moved to flow: ';

/** `moved`: 1-based line number → pipeline name. Every such line ends with a newline (the parser ensures it). */
export function commentOutLines(crontab: Buffer, moved: ReadonlyMap<number, string>): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  let line = 1;
  while (start < crontab.length) {
    const newline = crontab.indexOf(0x0a, start);
    const end = newline === -1 ? crontab.length : newline + 1;
    const name = moved.get(line);
    if (name !== undefined) parts.push(Buffer.from(`${MARKER}${name}\n#`, 'utf8'));
    parts.push(crontab.subarray(start, end));
    start = end;
    line++;
  }
  return Buffer.concat(parts);
}
