import { Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ConnectionRouter, InjectTopology, type Topology } from '@regional-db/nestjs';
import { RegionalWriteErrors } from '../users/localized-outage';
import type { HomeUser } from '../users/user-auth';
import { UserLocator } from '../users/user-locator.service';
import { findInRegions } from './find-in-regions';
import type { PostView } from './posts.dto';

const WITH_AUTHOR = { user: { select: { username: true } } } as const;
const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

type PostWithAuthor = { id: string; userId: string; content: string; createdAt: Date; user: { username: string } };

/**
 * Posts live in their author's home region (seed 000). Writes go to that region's primary; reads go to the
 * nearest fresh replica, with the client's consistency token (set by the router on every write) making
 * the author's own posts visible at once.
 */
@Injectable()
export class PostsService {
  private readonly regions: string[];

  constructor(
    private readonly db: ConnectionRouter,
    private readonly users: UserLocator,
    private readonly writeErrors: RegionalWriteErrors,
    @InjectTopology() topology: Topology,
  ) {
    this.regions = topology.groups.map((g) => g.name);
  }

  /** In the home region the token names (not X-Region: a post belongs where its author lives). */
  async create(author: HomeUser, content: string): Promise<PostView> {
    try {
      const post = await this.db.write(author.region).post.create({ data: { userId: author.id, content }, include: WITH_AUTHOR });
      return view(post, author.region);
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === 'P2003') {
        throw new UnauthorizedException(`Your home region is no longer ${author.region}: log in again`);
      }
      throw this.writeErrors.of(author.region, error);
    }
  }

  /** Looked up in the caller's region first, then in the others (another region being down does not matter). */
  async findOne(id: string): Promise<PostView> {
    const first = this.db.currentRegion();
    const regions = [first, ...this.regions.filter((r) => r !== first)];
    const found = await findInRegions(regions, (region) => this.db.read(region).post.findUnique({ where: { id }, include: WITH_AUTHOR }));
    if (!found) throw new NotFoundException(`Post ${id} not found`);
    return view(found.row, found.region);
  }

  async byUser(handle: string, limit: number): Promise<PostView[]> {
    const found = await this.users.locate(handle, (db) =>
      db.user.findUnique({ where: { username: handle }, select: { username: true, posts: { orderBy: NEWEST_FIRST, take: limit } } }),
    );
    if (!found) throw new NotFoundException(`No user has the handle "${handle}"`);
    return found.row.posts.map((p) => view({ ...p, user: { username: found.row.username } }, found.region));
  }

  /** The latest posts of the caller's region (X-Region, else the token's home region, else the default). */
  async feed(limit: number): Promise<PostView[]> {
    const region = this.db.currentRegion();
    const posts = await this.db.read(region).post.findMany({ orderBy: NEWEST_FIRST, take: limit, include: WITH_AUTHOR });
    return posts.map((p) => view(p, region));
  }
}

function view(post: PostWithAuthor, region: string): PostView {
  return { id: post.id, userId: post.userId, handle: post.user.username, content: post.content, region, createdAt: post.createdAt };
}
