// Injected REST failures (failRest): the next matching requests answer with a given status, 429s as Discord sends them.
import type { RouteResult } from './rest.js';
import type { RestFault } from './types.js';

interface FaultRule {
  method: string | undefined;
  path: RegExp;
  fault: RestFault;
  remaining: number;
}

export class RestFaults {
  private readonly rules: FaultRule[] = [];

  /** The next `times` requests matching method+path (path without /api/v10) fail with `fault`. */
  add(match: { method?: string; path: RegExp }, fault: RestFault, times: number): void {
    this.rules.push({ method: match.method?.toUpperCase(), path: match.path, fault, remaining: times });
  }

  /** The answer for this request when a rule still applies to it (using up one of its times). */
  take(method: string, path: string): RouteResult | undefined {
    const rule = this.rules.find((f) => f.remaining > 0 && (!f.method || f.method === method) && f.path.test(path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return faultResult(rule.fault);
  }
}

function faultResult(fault: RestFault): RouteResult {
  if (fault.status === 429) {
    const retryAfter = fault.retryAfter ?? 0.05;
    return {
      status: 429,
      headers: {
        'Retry-After': String(retryAfter),
        'X-RateLimit-Limit': '5',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset-After': String(retryAfter),
        'X-RateLimit-Scope': 'user',
      },
      body: fault.body ?? { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
    };
  }
  return { status: fault.status, body: fault.body ?? { message: `Emulated failure ${fault.status}`, code: 0 } };
}
