import { readFileSync } from 'node:fs';

/** The hidden line that marks the comment iac-vpce owns on a pull request, so `comment: update` finds it again. */
export const COMMENT_MARKER = '<!-- iac-vpce -->';

/** GitHub refuses an issue comment body over 65,536 characters. */
const MAX_BODY = 65536;

export type CommentMode = 'off' | 'on' | 'update';

export interface CommentResult {
  /** What happened, for the log and the job summary. */
  message: string;
  /** The comment was posted or updated. */
  ok: boolean;
  url?: string;
}

interface PullRequestEvent {
  pull_request?: { number?: number; head?: { repo?: { full_name?: string } | null }; base?: { repo?: { full_name?: string } } };
}

function readEvent(path: string | undefined): PullRequestEvent | undefined {
  if (!path) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PullRequestEvent;
  } catch {
    return undefined;
  }
}

/** The comment body: the marker, then the report, cut at GitHub's limit with a line saying so. */
export function commentBody(markdown: string): string {
  const body = `${COMMENT_MARKER}\n${markdown}`;
  if (body.length <= MAX_BODY) return body;
  const note = '\n\n… cut at GitHub’s comment size limit: the job summary and code scanning have the full report.\n';
  return body.slice(0, MAX_BODY - note.length) + note;
}

class Api {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; link: string | null }> {
    // REST API conventions: https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${this.token}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'iac-vpce-action',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, link: res.headers.get('link') };
  }

  /** The id of the first comment carrying the marker, following the pages of the list. */
  async findOwn(repo: string, issue: number): Promise<number | undefined> {
    for (let page = 1; page <= 50; page++) {
      const res = await this.call('GET', `/repos/${repo}/issues/${issue}/comments?per_page=100&page=${page}`);
      if (res.status !== 200 || !Array.isArray(res.json)) return undefined;
      const own = (res.json as Array<{ id?: number; body?: string }>).find((c) => typeof c.body === 'string' && c.body.includes(COMMENT_MARKER));
      if (own?.id !== undefined) return own.id;
      if (!res.link?.includes('rel="next"')) return undefined;
    }
    return undefined;
  }
}

/**
 * Posts the report on the pull request the workflow runs for (`on`), or updates the comment a previous run posted
 * (`update`), through the REST API (issue comments: https://docs.github.com/en/rest/issues/comments). A pull request
 * from a fork gets a read-only token under `pull_request`: then nothing is posted and the result says why.
 */
export async function postComment(env: NodeJS.ProcessEnv, token: string, mode: Exclude<CommentMode, 'off'>, markdown: string): Promise<CommentResult> {
  const pr = readEvent(env['GITHUB_EVENT_PATH'])?.pull_request;
  const repo = env['GITHUB_REPOSITORY'];
  if (!pr || typeof pr.number !== 'number' || !repo) return { ok: false, message: 'No pull request comment: this run is not for a pull request.' };
  const head = pr.head?.repo?.full_name;
  const base = pr.base?.repo?.full_name ?? repo;
  if (head !== undefined && head !== base)
    return { ok: false, message: `No pull request comment: the pull request comes from the fork ${head}, whose workflow token cannot write to ${base}.` };
  if (!token) return { ok: false, message: 'No pull request comment: no token (set the github-token input or GITHUB_TOKEN).' };
  const api = new Api((env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, ''), token);
  const body = commentBody(markdown);
  try {
    const existing = mode === 'update' ? await api.findOwn(repo, pr.number) : undefined;
    const res =
      existing !== undefined
        ? await api.call('PATCH', `/repos/${repo}/issues/comments/${existing}`, { body })
        : await api.call('POST', `/repos/${repo}/issues/${pr.number}/comments`, { body });
    const url = (res.json as { html_url?: string } | undefined)?.html_url;
    if (res.status === 200 || res.status === 201)
      return { ok: true, message: `${existing !== undefined ? 'Updated' : 'Posted'} the pull request comment${url ? ` ${url}` : ''}.`, url };
    const why = (res.json as { message?: string } | undefined)?.message ?? '';
    const hint = res.status === 403 || res.status === 404 ? ' (the token may lack pull-requests: write, as on a pull request from a fork)' : '';
    return { ok: false, message: `No pull request comment: GitHub answered ${res.status}${why ? ` "${why}"` : ''}${hint}.` };
  } catch (e) {
    return { ok: false, message: `No pull request comment: ${(e as Error).message}.` };
  }
}
