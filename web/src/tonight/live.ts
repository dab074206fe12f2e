/**
 * Tonight, live: the `evening` subscription over WebSocket (graphql-transport-ws, the `graphql-ws`
 * library), through the gateway at /graphql. Each push is the whole evening; it replaces the query's
 * cached copy, so both screens show the same list within moments of a vote. The library reconnects
 * (with back-off) when the socket drops or the access token runs out, asking for a fresh token each time.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createClient, type Client } from 'graphql-ws';
import { useEffect, useState } from 'react';
import { EveningUpdatesDocument } from '../api/operations';
import type { EveningFieldsFragment } from '../gql/graphql';

export type LiveState = 'connecting' | 'live' | 'offline';

export function eveningKey(id: string) {
  return ['evening', id] as const;
}

function socketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/graphql`;
}

/** Keep `['evening', id]` current from the server's pushes; `token` gives a valid access token (or null). */
export function useEveningLive(id: string, token: () => Promise<string | null>, enabled = true): LiveState {
  const qc = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    if (!enabled || typeof WebSocket === 'undefined') return;
    let client: Client | null = createClient({
      url: socketUrl(),
      lazy: false,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      connectionParams: async () => {
        const t = await token();
        return t ? { authorization: `Bearer ${t}` } : {};
      },
      on: {
        connected: () => setState('live'),
        closed: () => setState('offline'),
      },
    });
    const stop = client.subscribe<{ evening: EveningFieldsFragment }>(
      { query: EveningUpdatesDocument.toString(), variables: { id } },
      {
        next: (msg) => {
          if (msg.data?.evening) {
            const next = msg.data.evening;
            qc.setQueryData<EveningFieldsFragment>(eveningKey(id), (prev) => (prev && prev.version > next.version ? prev : next));
          }
        },
        error: () => setState('offline'),
        complete: () => {},
      },
    );
    return () => {
      stop();
      void client?.dispose();
      client = null;
    };
  }, [id, enabled, token, qc]);
  return state;
}
