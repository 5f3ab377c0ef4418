/** bcrypt reads at most 72 bytes: a longer password would be silently cut, so it is refused instead. */
export const PASSWORD_MAX_BYTES = 72;
export const PASSWORD_MIN_LENGTH = 10;
const MIN_CLASSES = 2;
const MIN_DISTINCT = 5;

const CLASSES: [string, RegExp][] = [
  ['lower-case letters', /[a-z]/],
  ['upper-case letters', /[A-Z]/],
  ['digits', /[0-9]/],
  ['symbols', /[^A-Za-z0-9]/],
];

/** Why `password` is too weak to accept, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `password must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) return `password must be at most ${PASSWORD_MAX_BYTES} bytes long`;
  const classes = CLASSES.filter(([, pattern]) => pattern.test(password)).length;
  if (classes < MIN_CLASSES || new Set(password).size < MIN_DISTINCT) {
    return `password is too weak: mix at least ${MIN_CLASSES} of ${CLASSES.map(([name]) => name).join(', ')}, with at least ${MIN_DISTINCT} different characters`;
  }
  return null;
}
