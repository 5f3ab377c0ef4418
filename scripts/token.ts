// npm run token -- --role admin [--role viewer] [--sub alice] [--region us-east] [--ttl 1h]
// Prints a bearer token the app accepts. The key is JWT_SECRET / JWT_PRIVATE_KEY from the environment or, when
// none is set, the secret file the app reads too (.local/jwt-secret, created with mode 0600 when absent).
import { parseArgs } from 'node:util';
import { ensureSecretFile, loadAuthSettings, secretFilePath } from '../src/auth/auth.settings';
import { isRole } from '../src/auth/roles';
import { TokenService } from '../src/auth/token.service';
import { runCli } from './cli';
import { validateEnvironment } from '../src/config/environment';

runCli(async () => {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      sub: { type: 'string' },
      region: { type: 'string' },
      ttl: { type: 'string' },
    },
  });
  const roles = values.role ?? [];
  if (roles.length === 0 || !roles.every(isRole)) throw new Error('usage: npm run token -- --role admin|viewer [--sub NAME] [--region REGION] [--ttl 1h]');
  if (!['JWT_SECRET', 'JWT_PUBLIC_KEY', 'JWT_PRIVATE_KEY'].some((name) => process.env[name]?.trim())) ensureSecretFile(secretFilePath(validateEnvironment(process.env)));
  const tokens = new TokenService(loadAuthSettings(validateEnvironment(process.env)));
  const sub = values.sub ?? `local-${roles[0]}`;
  console.log(tokens.sign({ sub, roles, ...(values.region ? { region: values.region } : {}) }, values.ttl));
});
