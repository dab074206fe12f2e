import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { describeError } from '../api/errors';
import { AddCommentDocument, DeleteCommentDocument, EditCommentDocument } from '../api/operations';
import { commentsQuery, keys } from '../api/queries';
import { api } from '../api/session';
import { useAuth } from '../auth/AuthProvider';
import type { CommentsQuery } from '../gql/graphql';
import { dateText } from '../lib/format';
import { RetryKey } from '../lib/idempotency';
import { ErrorBox } from './ErrorBox';
import { SkeletonText } from './Skeleton';
import { useToast } from './Toasts';

type Page = NonNullable<CommentsQuery['movie']>['comments'];
type Comment = Page['nodes'][number];
type Data = InfiniteData<Page, string | null>;

function mapPages(data: Data | undefined, f: (nodes: Comment[], index: number) => Comment[], delta = 0): Data | undefined {
  if (!data) return data;
  return {
    ...data,
    pages: data.pages.map((p, i) => ({ ...p, totalCount: p.totalCount + delta, nodes: f(p.nodes, i) })),
  };
}

function CommentItem({ comment, mine, movieId }: { comment: Comment; mine: boolean; movieId: string }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(comment.body);
  const editId = useId();
  const key = keys.comments(movieId);

  const edit = useMutation({
    mutationFn: (body: string) => api.request(EditCommentDocument, { id: comment.id, body }),
    onMutate: async (body) => {
      await qc.cancelQueries({ queryKey: key });
      const previous = qc.getQueryData<Data>(key);
      qc.setQueryData<Data>(key, (d) => mapPages(d, (ns) => ns.map((n) => (n.id === comment.id ? { ...n, body } : n))));
      setEditing(false);
      return { previous };
    },
    onError: (e, body, ctx) => {
      qc.setQueryData(key, ctx?.previous);
      setDraft(body);
      setEditing(true);
      toast.error(`Your comment wasn't changed. ${describeError(e)}`);
    },
    onSuccess: (data) =>
      qc.setQueryData<Data>(key, (d) => mapPages(d, (ns) => ns.map((n) => (n.id === comment.id ? data.editComment : n)))),
  });

  const remove = useMutation({
    mutationFn: () => api.request(DeleteCommentDocument, { id: comment.id }),
    onMutate: async () => {
      await qc.cancelQueries({ queryKey: key });
      const previous = qc.getQueryData<Data>(key);
      qc.setQueryData<Data>(key, (d) => mapPages(d, (ns) => ns.filter((n) => n.id !== comment.id), -1));
      return { previous };
    },
    onError: (e, _v, ctx) => {
      qc.setQueryData(key, ctx?.previous);
      toast.error(`Your comment wasn't deleted. ${describeError(e)}`);
    },
  });

  return (
    <li className="comment" aria-label={`Comment by ${comment.author.username}`}>
      <p className="comment-meta">
        <strong>{comment.author.username}</strong> <span className="muted">{dateText(comment.createdAt)}</span>
        {comment.editedAt ? <span className="muted"> · edited</span> : null}
      </p>
      {editing ? (
        <form
          className="comment-form"
          onSubmit={(e) => {
            e.preventDefault();
            const body = draft.trim();
            if (body && body !== comment.body) edit.mutate(body);
            else setEditing(false);
          }}
        >
          <label htmlFor={editId} className="visually-hidden">
            Edit your comment
          </label>
          <textarea id={editId} value={draft} onChange={(e) => setDraft(e.target.value)} rows={3} maxLength={2000} autoFocus />
          <div className="row-buttons">
            <button type="submit" className="button button-primary">
              Save
            </button>
            <button type="button" className="button button-quiet" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <p className="comment-body">{comment.body}</p>
      )}
      {mine && !editing ? (
        <div className="row-buttons">
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setDraft(comment.body);
              setEditing(true);
            }}
            disabled={comment.id.startsWith('pending-')}
          >
            Edit
          </button>
          <button
            type="button"
            className="link-button danger"
            onClick={() => remove.mutate()}
            disabled={comment.id.startsWith('pending-')}
          >
            Delete
          </button>
        </div>
      ) : null}
    </li>
  );
}

export function Comments({ movieId }: { movieId: string }) {
  const { session } = useAuth();
  const qc = useQueryClient();
  const toast = useToast();
  const query = useInfiniteQuery(commentsQuery(movieId));
  const [body, setBody] = useState('');
  const key = keys.comments(movieId);

  // One key per comment the person means to post: pressing Post again after an error sends the same key,
  // so a first attempt that did land is answered instead of posted twice (lib/idempotency.ts).
  const [retryKey] = useState(() => new RetryKey<{ movieId: string; body: string }>());
  const add = useMutation({
    mutationFn: (text: string) =>
      api.request(AddCommentDocument, { movieId, body: text, idempotencyKey: retryKey.for({ movieId, body: text }) }),
    onMutate: async (text) => {
      await qc.cancelQueries({ queryKey: key });
      const previous = qc.getQueryData<Data>(key);
      const pending: Comment = {
        id: `pending-${Date.now()}`,
        body: text,
        createdAt: new Date().toISOString(),
        editedAt: null,
        movieId,
        author: { id: session?.userId ?? '', username: session?.username ?? 'you' },
      };
      qc.setQueryData<Data>(key, (d) => mapPages(d, (ns, i) => (i === 0 ? [pending, ...ns] : ns), 1));
      setBody('');
      return { previous, pendingId: pending.id };
    },
    onError: (e, text, ctx) => {
      qc.setQueryData(key, ctx?.previous);
      setBody(text);
      toast.error(`Your comment wasn't posted. ${describeError(e)}`);
    },
    onSuccess: (data, _t, ctx) => {
      retryKey.done();
      qc.setQueryData<Data>(key, (d) => mapPages(d, (ns) => ns.map((n) => (n.id === ctx.pendingId ? data.addComment : n))));
    },
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const text = body.trim();
    if (text) add.mutate(text);
  }

  const comments = query.data?.pages.flatMap((p) => p.nodes) ?? [];
  const total = query.data?.pages[0]?.totalCount ?? 0;
  return (
    <section className="comments" aria-labelledby="comments-heading">
      <h2 id="comments-heading">Comments {query.data ? <span className="muted">({total})</span> : null}</h2>
      <form className="comment-form" onSubmit={onSubmit}>
        <label htmlFor="new-comment">Your comment</label>
        <textarea
          id="new-comment"
          value={body}
          onChange={(e) => setBody(e.target.value)}
          rows={3}
          maxLength={2000}
          placeholder="What did you think?"
        />
        <button type="submit" className="button button-primary" disabled={!body.trim()}>
          Post comment
        </button>
      </form>
      {query.error ? (
        <ErrorBox error={query.error} onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <SkeletonText lines={3} />
      ) : comments.length === 0 ? (
        <p className="empty">No comments yet. Be the first.</p>
      ) : (
        <ul className="comment-list">
          {comments.map((c) => (
            <CommentItem key={c.id} comment={c} mine={c.author.id === session?.userId} movieId={movieId} />
          ))}
        </ul>
      )}
      {query.hasNextPage ? (
        <button type="button" className="button button-quiet" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          Older comments
        </button>
      ) : null}
    </section>
  );
}
