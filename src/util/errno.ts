/** System errors in words for one-line messages: `permission denied`, not `EACCES: permission denied, mkdir …`. */
const WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  ENOENT: 'it cannot be created there',
};

export function errnoWords(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code !== undefined ? WORDS[code] : undefined) ?? (error as Error).message;
}
