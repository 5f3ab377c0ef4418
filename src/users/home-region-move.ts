/**
 * A home-region move (seed 000) as a sequence of idempotent steps; the move record holds the next one, so a
 * move interrupted anywhere resumes by running that step again.
 * copy: user and posts into the target primary; verify: copy what was added since, then compare;
 * flip: the directory names the target; invalidate: drop cached discovery answers; cleanup: under a row lock
 * on the source user, copy any last posts and delete the source rows.
 */
export const HOME_REGION_MOVE_STEPS = ['copy', 'verify', 'flip', 'invalidate', 'cleanup', 'done'] as const;
export type HomeRegionMoveStep = (typeof HOME_REGION_MOVE_STEPS)[number];

export function stepAfter(step: HomeRegionMoveStep): HomeRegionMoveStep {
  const index = HOME_REGION_MOVE_STEPS.indexOf(step);
  if (index < 0 || step === 'done') throw new Error(`no step after ${JSON.stringify(step)}`);
  return HOME_REGION_MOVE_STEPS[index + 1];
}

export function isMoveStep(value: string): value is HomeRegionMoveStep {
  return (HOME_REGION_MOVE_STEPS as readonly string[]).includes(value);
}

export interface UnfinishedMove {
  toRegion: string;
  step: string;
}

export type MoveDecision = { action: 'start' } | { action: 'resume' } | { action: 'refuse'; reason: string };

/** What `POST /api/users/:handle/move { toRegion }` does, given the user's region and any unfinished move. */
export function decideMove(handle: string, homeRegion: string, toRegion: string, unfinished: UnfinishedMove | null): MoveDecision {
  if (unfinished) {
    if (unfinished.toRegion === toRegion) return { action: 'resume' };
    return { action: 'refuse', reason: `A move of "${handle}" to ${unfinished.toRegion} is unfinished (next step: ${unfinished.step}); resume it with toRegion ${unfinished.toRegion}` };
  }
  if (homeRegion === toRegion) return { action: 'refuse', reason: `"${handle}" already lives in ${toRegion}` };
  return { action: 'start' };
}

export interface UserRow {
  id: string;
  username: string;
  email: string;
  passwordHash: string;
}

export interface PostRow {
  id: string;
  content: string;
  createdAt: Date;
}

export interface CopyDifference {
  /** Source posts the target lacks (added since the copy): copy them, then compare again. */
  missingPosts: string[];
  /** What differs and copying cannot fix: the move stops for an operator. */
  conflicts: string[];
}

/** How the target's copy of a user differs from the source's. */
export function compareCopies(source: { user: UserRow; posts: PostRow[] }, target: { user: UserRow | null; posts: PostRow[] }): CopyDifference {
  const conflicts: string[] = [];
  if (!target.user) conflicts.push('the user row is missing in the target');
  else {
    for (const field of ['id', 'username', 'email', 'passwordHash'] as const) {
      if (source.user[field] !== target.user[field]) conflicts.push(`user ${field} differs`);
    }
  }
  const copies = new Map(target.posts.map((p) => [p.id, p]));
  const missingPosts: string[] = [];
  for (const post of source.posts) {
    const copy = copies.get(post.id);
    if (!copy) missingPosts.push(post.id);
    else if (copy.content !== post.content || copy.createdAt.getTime() !== post.createdAt.getTime()) conflicts.push(`post ${post.id} differs`);
  }
  return { missingPosts, conflicts };
}
