/** An answer of the admin API other than 2xx, as one readable line: `404 Not Found: Unknown group "x" ...`. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The admin API over HTTP with a bearer token; every failure is an error with a message for people. */
export class AdminClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    /** A failover or switchover answers when it is over: bounded by the group's failoverTimeoutMs, not seconds. */
    private readonly timeoutMs = 600_000,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: object = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  private async request<T>(method: string, path: string, body?: object): Promise<T> {
    const url = new URL(path, this.baseUrl);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new Error(`cannot reach ${url.origin}: ${unreachable(error)}`);
    }
    const text = await response.text();
    const json = parseJson(text) as { error?: string; message?: string | string[] } | null;
    if (!response.ok) {
      const message = Array.isArray(json?.message) ? json.message.join('; ') : (json?.message ?? text.slice(0, 200));
      throw new AdminApiError(response.status, `${response.status} ${json?.error ?? response.statusText}: ${message}${hint(response.status)}`);
    }
    if (json === null) throw new Error(`${method} ${url.pathname} answered ${response.status} without JSON: is ${url.origin} the regional database router?`);
    return json as T;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function hint(status: number): string {
  if (status === 401) return ' (REGIONAL_DB_TOKEN: npm run token -- --role admin)';
  if (status === 403) return ' (this needs a token with the admin role)';
  return '';
}

function unreachable(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'no answer in time';
  if (e.cause?.code === 'ECONNREFUSED') return 'connection refused (is the service running there?)';
  if (e.cause?.code === 'ENOTFOUND') return 'unknown host';
  return e.cause?.message ?? e.message;
}
