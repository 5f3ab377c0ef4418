// Every app built in one jest process shares passport's one `jwt` strategy: give them all one secret.
import { randomBytes } from 'node:crypto';

process.env.JWT_SECRET ??= randomBytes(32).toString('hex');
process.env.NODE_ENV ??= 'test';
process.env.ADMIN_MUTATION_RATE_LIMIT ??= '1000';
