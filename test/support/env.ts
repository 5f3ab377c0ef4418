// Every app built in one jest process shares passport's one `jwt` strategy: give them all one secret.
import { randomBytes } from 'node:crypto';

process.env.JWT_SECRET ??= randomBytes(32).toString('hex');
process.env.NODE_ENV ??= 'test';
process.env.ADMIN_MUTATION_RATE_LIMIT ??= '1000';
// Suites register and log in hundreds of times from 127.0.0.1; the throttling suite sets its own low limits.
process.env.THROTTLE_LOGIN_PER_ADDRESS ??= '1000000';
process.env.THROTTLE_REGISTER_PER_ADDRESS ??= '1000000';
process.env.THROTTLE_GEO_WRITE_PER_ADDRESS ??= '1000000';
