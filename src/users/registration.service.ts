import { BadRequestException, ConflictException, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ConnectionRouter, InjectTopology, redactSecrets, type Topology } from '@regional-db/nestjs';
import { emailHash } from './email-hash';
import { RegionalWriteErrors, violatedConstraint } from './localized-outage';
import { PasswordHasher } from './password-hasher';
import { passwordProblem } from './password-policy';
import { UserDirectory } from './user-directory.service';
import type { RegisteredUser, RegisterUserBody } from './users.dto';

/**
 * Seed 003's registration: the handle and the email's hash are claimed in the global directory first (its
 * unique constraints settle concurrent claims from any region), then the user row is written in the home
 * region's primary under the same id. A failed regional write releases the claim, so no handle is orphaned.
 * An email that already has an account gets the same answer as a new one, and no account (see the README).
 */
@Injectable()
export class UserRegistration {
  private readonly logger = new Logger(UserRegistration.name);
  private readonly regions: string[];

  constructor(
    private readonly db: ConnectionRouter,
    private readonly directory: UserDirectory,
    private readonly hasher: PasswordHasher,
    private readonly writeErrors: RegionalWriteErrors,
    @InjectTopology() topology: Topology,
  ) {
    this.regions = topology.groups.map((g) => g.name);
  }

  async register(body: RegisterUserBody): Promise<RegisteredUser> {
    const region = body.region ?? this.db.currentRegion();
    if (!this.regions.includes(region)) throw new BadRequestException(`Unknown region "${region}" (known: ${this.regions.join(', ')})`);
    const weakness = passwordProblem(body.password);
    if (weakness) throw new BadRequestException(weakness);
    const passwordHash = await this.hasher.hash(body.password);
    const id = randomUUID();

    if (!(await this.claim(body.handle, body.email, region, id))) return this.emailAlreadyRegistered(body.handle, region);
    let createdAt: Date;
    try {
      ({ createdAt } = await this.db.write(region).user.create({
        data: { id, username: body.handle, email: body.email, passwordHash },
        select: { createdAt: true },
      }));
    } catch (error) {
      await this.release(body.handle, id);
      if (violatedConstraint(error) === 'users_username_key') throw handleTaken(body.handle);
      throw this.writeErrors.of(region, error);
    }
    await this.directory.remember(body.handle, region);
    return { id, handle: body.handle, region, createdAt };
  }

  /** True when the handle and email are now this registration's; false when the email already has an account. */
  private async claim(handle: string, email: string, region: string, userId: string): Promise<boolean> {
    try {
      await this.db.global().write().directoryEntry.create({ data: { handle, emailHash: emailHash(email), homeRegion: region, userId } });
      return true;
    } catch (error) {
      const constraint = violatedConstraint(error);
      if (constraint === 'directory_pkey') throw handleTaken(handle);
      if (constraint === 'directory_email_hash_key') return false;
      throw error;
    }
  }

  /**
   * The answer a new account gets, so the caller cannot tell that the email has one; nothing is created and
   * the handle stays free. The email's owner keeps their account (a deployment with mail tells them here).
   */
  private emailAlreadyRegistered(handle: string, region: string): RegisteredUser {
    this.logger.log(`registration of handle "${handle}" with an email that already has an account: no account created`);
    return { id: randomUUID(), handle, region, createdAt: new Date() };
  }

  /** Compensation: only this registration's claim is removed (a later one for the handle is kept). */
  private async release(handle: string, userId: string): Promise<void> {
    try {
      await this.db.global().write().directoryEntry.deleteMany({ where: { handle, userId } });
    } catch (error) {
      this.logger.error(`handle "${handle}" is left claimed after a failed registration: ${redactSecrets(String((error as Error)?.message ?? error))}`);
    }
  }
}

function handleTaken(handle: string): ConflictException {
  return new ConflictException(`Handle "${handle}" is already taken`);
}
