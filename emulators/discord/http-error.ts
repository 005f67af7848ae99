// Errors the emulator's REST routes answer with, in Discord's JSON shape: {message, code[, errors]}.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body && 'message' in body ? String(body.message) : `HTTP ${status}`);
  }
}

export function apiError(status: number, code: number, message: string, errors?: unknown): HttpError {
  return new HttpError(status, errors === undefined ? { message, code } : { message, code, errors });
}

type ErrorTree = { [key: string]: ErrorTree | Array<{ code: string; message: string }> };

/**
 * Form-body problems collected by path. Discord answers them as 400 / 50035 "Invalid Form Body" with `errors` nested by
 * path, each leaf `{_errors: [{code, message}]}`: e.g. `{data: {components: {0: {components: {0: {style: {_errors}}}}}}}`.
 */
export class FormErrors {
  private readonly entries: Array<{ path: Array<string | number>; code: string; message: string }> = [];

  add(path: ReadonlyArray<PropertyKey>, code: string, message: string): void {
    const clean = path.map((p) => (typeof p === 'number' ? p : String(p)));
    const key = JSON.stringify(clean);
    // One message per path and code is enough (zod and our own checks can both see the same problem).
    if (this.entries.some((e) => JSON.stringify(e.path) === key && e.code === code)) return;
    this.entries.push({ path: clean, code, message });
  }

  get empty(): boolean {
    return this.entries.length === 0;
  }

  /** "path.to.field: CODE message" lines, for test failure messages and logs. */
  describe(): string[] {
    return this.entries.map((e) => `${e.path.join('.') || '(body)'}: ${e.code} ${e.message}`);
  }

  tree(): ErrorTree {
    const root: ErrorTree = {};
    for (const { path, code, message } of this.entries) {
      let node = root;
      for (const segment of path) {
        const key = String(segment);
        const next = node[key];
        if (next === undefined || Array.isArray(next)) {
          const created: ErrorTree = {};
          node[key] = created;
          node = created;
        } else {
          node = next;
        }
      }
      const list = node._errors;
      if (Array.isArray(list)) list.push({ code, message });
      else node._errors = [{ code, message }];
    }
    return root;
  }

  /** Throws 400 / 50035 when anything was collected. */
  throwIfAny(): void {
    if (!this.empty) throw apiError(400, 50035, 'Invalid Form Body', this.tree());
  }
}

export function invalidFormBody(path: ReadonlyArray<PropertyKey>, code: string, message: string): HttpError {
  const errors = new FormErrors();
  errors.add(path, code, message);
  return apiError(400, 50035, 'Invalid Form Body', errors.tree());
}
