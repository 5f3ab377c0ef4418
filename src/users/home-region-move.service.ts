import { BadRequestException, ConflictException, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { ConnectionRouter, InjectTopology, type Topology } from '@regional-db/nestjs';
import type { RegionalPrismaClient } from '../app-prisma-clients';
import type { UserMove } from '../generated/global/client';
import { compareCopies, decideMove, HomeRegionMoveStep, isMoveStep, PostRow, stepAfter, UserRow } from './home-region-move';
import { isPrimaryUnavailable, violatedConstraint } from './localized-outage';
import { UserDirectory } from './user-directory.service';
import type { UserMoveResult } from './users.dto';

export interface MoveOptions {
  /** Stop once this step is recorded, as if the process died there (tests of the resume). */
  stopAfter?: HomeRegionMoveStep;
}

const USER_FIELDS = { id: true, username: true, email: true, passwordHash: true, createdAt: true } as const;
const POST_FIELDS = { id: true, userId: true, content: true, createdAt: true } as const;
/** Bounds the final copy-and-delete, which holds the source user's row lock. */
const CLEANUP_TIMEOUT_MS = 30_000;

/**
 * Moves a user and their posts to another home region through the steps of `home-region-move.ts`, recording
 * each in the global database's `user_moves`. Reads find the user in the source until the directory flips and
 * in the target after; the source rows are deleted only once the target has them all.
 */
@Injectable()
export class HomeRegionMoves {
  private readonly regions: string[];

  constructor(
    private readonly db: ConnectionRouter,
    private readonly directory: UserDirectory,
    @InjectTopology() topology: Topology,
  ) {
    this.regions = topology.groups.map((g) => g.name);
  }

  async move(handle: string, toRegion: string, options: MoveOptions = {}): Promise<UserMoveResult> {
    if (!this.regions.includes(toRegion)) throw new BadRequestException(`Unknown region "${toRegion}" (known: ${this.regions.join(', ')})`);
    const global = this.db.global().write();
    const entry = await global.directoryEntry.findUnique({ where: { handle } });
    if (!entry?.userId) throw new NotFoundException(`No user has the handle "${handle}"`);
    const unfinished = await global.userMove.findFirst({ where: { handle, step: { not: 'done' } } });
    const decision = decideMove(handle, entry.homeRegion, toRegion, unfinished);
    if (decision.action === 'refuse') throw new ConflictException(decision.reason);

    let move = unfinished ?? (await this.start(handle, entry.userId, entry.homeRegion, toRegion));
    while (isMoveStep(move.step) && move.step !== 'done') {
      const step = move.step;
      const postsMoved = await this.run(step, move);
      move = await this.record(move, step, postsMoved);
      if (options.stopAfter === step) break;
    }
    const { id, userId, fromRegion, step, postsMoved } = move;
    return { moveId: id, handle, userId, fromRegion, toRegion, step, postsMoved, resumed: unfinished !== null };
  }

  private async start(handle: string, userId: string, fromRegion: string, toRegion: string): Promise<UserMove> {
    try {
      return await this.db.global().write().userMove.create({ data: { handle, userId, fromRegion, toRegion, step: 'copy' } });
    } catch (error) {
      if (violatedConstraint(error) === 'user_moves_one_unfinished_per_handle') {
        throw new ConflictException(`Another move of "${handle}" has just started`);
      }
      throw error;
    }
  }

  /** Advances the record past `step` (unless a concurrent run already did) and returns it as it now is. */
  private async record(move: UserMove, step: HomeRegionMoveStep, postsMoved: number | null): Promise<UserMove> {
    const next = stepAfter(step);
    const global = this.db.global().write();
    await global.userMove.updateMany({
      where: { id: move.id, step },
      data: { step: next, ...(postsMoved === null ? {} : { postsMoved }), ...(next === 'done' ? { finishedAt: new Date() } : {}) },
    });
    return global.userMove.findUniqueOrThrow({ where: { id: move.id } });
  }

  /** Runs one step; returns the number of posts the target holds when the step counted them. */
  private async run(step: HomeRegionMoveStep, move: UserMove): Promise<number | null> {
    try {
      switch (step) {
        case 'copy':
          return await this.copy(move);
        case 'verify':
          return await this.verify(move);
        case 'flip':
          await this.db.global().write().directoryEntry.updateMany({ where: { handle: move.handle, userId: move.userId }, data: { homeRegion: move.toRegion } });
          return null;
        case 'invalidate':
          await this.directory.forget(move.handle);
          return null;
        case 'cleanup':
          return await this.cleanup(move);
        default:
          return null;
      }
    } catch (error) {
      if (!isPrimaryUnavailable(error)) throw error;
      throw new ServiceUnavailableException(
        `Move of "${move.handle}" stopped at ${step}: a primary of ${move.fromRegion} or ${move.toRegion} is unreachable; POST again to resume`,
      );
    }
  }

  private async copy(move: UserMove): Promise<number> {
    const source = await this.rowsIn(this.db.write(move.fromRegion), move.userId);
    if (!source.user) {
      throw new ConflictException(`User "${move.handle}" is not in ${move.fromRegion} any more; the move cannot copy it`);
    }
    const target = this.db.write(move.toRegion);
    await target.user.upsert({ where: { id: move.userId }, create: source.user, update: {} });
    await target.post.createMany({ data: source.posts, skipDuplicates: true });
    return source.posts.length;
  }

  private async verify(move: UserMove): Promise<number> {
    const source = await this.rowsIn(this.db.write(move.fromRegion), move.userId);
    const target = await this.rowsIn(this.db.write(move.toRegion), move.userId);
    if (!source.user) throw new ConflictException(`User "${move.handle}" vanished from ${move.fromRegion} before the directory flipped`);
    const difference = compareCopies({ user: source.user as UserRow, posts: source.posts }, target);
    if (difference.conflicts.length) {
      throw new ConflictException(`Move of "${move.handle}" stopped at verify: ${difference.conflicts.slice(0, 5).join('; ')}`);
    }
    const missing = new Set(difference.missingPosts);
    await this.db.write(move.toRegion).post.createMany({ data: source.posts.filter((p) => missing.has(p.id)), skipDuplicates: true });
    return source.posts.length;
  }

  /**
   * Locks the source user row (a post insert for that user waits on it, then fails its foreign key once the row
   * is gone), copies posts added since verify, and deletes the source rows; nothing written meanwhile is lost.
   */
  private async cleanup(move: UserMove): Promise<number> {
    const target = this.db.write(move.toRegion);
    await this.db.transaction(
      move.fromRegion,
      async (tx) => {
        const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM users WHERE id = ${move.userId}::uuid FOR UPDATE`;
        if (locked.length === 0) return;
        const posts = await tx.post.findMany({ where: { userId: move.userId }, select: POST_FIELDS });
        await target.post.createMany({ data: posts, skipDuplicates: true });
        await tx.user.delete({ where: { id: move.userId } });
      },
      { timeout: CLEANUP_TIMEOUT_MS },
    );
    return target.post.count({ where: { userId: move.userId } });
  }

  private async rowsIn(db: RegionalPrismaClient, userId: string) {
    const [user, posts] = await Promise.all([
      db.user.findUnique({ where: { id: userId }, select: USER_FIELDS }),
      db.post.findMany({ where: { userId }, select: POST_FIELDS }),
    ]);
    return { user, posts: posts as (PostRow & { userId: string })[] };
  }
}
