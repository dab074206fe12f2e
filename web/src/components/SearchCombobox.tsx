import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { SUGGEST_MAX_CHARS, SUGGEST_MIN_CHARS, suggestKey, suggestQuery } from '../api/queries';
import { creditText } from '../lib/format';
import { prefetchFilm, prefetchRoute } from '../lib/prefetch';
import { useDebounced } from '../lib/useDebounced';

/** How long typing must pause before suggestions are asked for. */
export const SUGGEST_DEBOUNCE_MS = 150;

interface Option {
  key: string;
  href: string;
  kind: 'film' | 'person';
  id: string;
  label: string;
  detail: string;
}

interface Props {
  /** The input's id (its <label htmlFor> is the caller's). */
  id: string;
  value: string;
  onChange(value: string): void;
  placeholder?: string;
}

/**
 * The search box with typeahead (WAI-ARIA combobox with a listbox popup): from 2 characters, after a
 * 150 ms pause, films (title, year) and people (name, what they are best known for) whose words start with
 * the typed words. Down/Up move through the suggestions (wrapping; Down opens a closed list), Enter opens
 * the highlighted one (with none highlighted Enter submits the form as before), Escape closes the list,
 * the mouse hovers and clicks. The list floats over the page below the box: nothing moves when it opens.
 */
export function SearchCombobox({ id, value, onChange, placeholder }: Props) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const base = useId();
  const listId = `${base}-listbox`;
  const optionId = (i: number) => `${base}-option-${i}`;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const debounced = useDebounced(value, SUGGEST_DEBOUNCE_MS);
  const suggest = useQuery({ ...suggestQuery(debounced), placeholderData: keepPreviousData });
  const key = suggestKey(value);
  const asking = key.length >= SUGGEST_MIN_CHARS && key.length <= SUGGEST_MAX_CHARS;
  const data = asking ? suggest.data : undefined;

  const { films, people } = useMemo(() => {
    const films: Option[] = (data?.movies ?? []).map((m) => ({
      key: `film-${m.id}`,
      href: `/film/${m.id}`,
      kind: 'film',
      id: m.id,
      label: m.title,
      detail: m.year ? String(m.year) : '',
    }));
    const people: Option[] = (data?.people ?? []).map((p) => {
      const film = p.knownFor.movie;
      return {
        key: `person-${p.person.id}`,
        href: `/person/${p.person.id}`,
        kind: 'person',
        id: p.person.id,
        label: p.person.name,
        detail: `${creditText(p.knownFor.role)}, ${film.title}${film.year ? ` (${film.year})` : ''}`,
      };
    });
    return { films, people };
  }, [data]);
  const options = useMemo(() => [...films, ...people], [films, people]);
  const expanded = open && options.length > 0;
  useEffect(() => setActive(-1), [options]);

  function go(option: Option) {
    setOpen(false);
    setActive(-1);
    void navigate(option.href);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    const n = options.length;
    switch (e.key) {
      case 'ArrowDown':
        if (n === 0) return;
        e.preventDefault();
        if (!expanded) {
          setOpen(true);
          setActive(0);
        } else setActive((a) => (a + 1) % n);
        return;
      case 'ArrowUp':
        if (n === 0) return;
        e.preventDefault();
        if (!expanded) {
          setOpen(true);
          setActive(n - 1);
        } else setActive((a) => (a <= 0 ? n - 1 : a - 1));
        return;
      case 'Enter':
        if (expanded && active >= 0 && active < n) {
          e.preventDefault(); // not the form's submit
          go(options[active]!);
        } else setOpen(false);
        return;
      case 'Escape':
        if (expanded) {
          e.preventDefault(); // a search input would also clear its text
          setOpen(false);
          setActive(-1);
        }
        return;
    }
  }

  function prefetch(option: Option) {
    if (option.kind === 'film') prefetchFilm(qc, option.id);
    else prefetchRoute('person');
  }

  let index = 0;
  const group = (title: string, items: Option[]) =>
    items.length === 0 ? null : (
      <div role="group" aria-labelledby={`${base}-${title}`} className="suggestion-group">
        <div role="presentation" id={`${base}-${title}`} className="suggestion-heading">
          {title}
        </div>
        {items.map((o) => {
          const i = index++;
          return (
            <div
              key={o.key}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={`suggestion suggestion-${o.kind}`}
              onMouseDown={(e) => e.preventDefault()} // keep the focus in the box
              onMouseEnter={() => {
                setActive(i);
                prefetch(o);
              }}
              onClick={() => go(o)}
            >
              <span className="suggestion-label">{o.label}</span>
              {o.detail ? <span className="suggestion-detail">{o.detail}</span> : null}
            </div>
          );
        })}
      </div>
    );

  return (
    <div className="combobox">
      <input
        id={id}
        type="search"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        autoComplete="off"
        placeholder={placeholder}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <div id={listId} role="listbox" aria-label="Suggestions" className="suggestions" hidden={!expanded}>
        {expanded ? (
          <>
            {group('Films', films)}
            {group('People', people)}
          </>
        ) : null}
      </div>
      <p className="visually-hidden" role="status">
        {expanded
          ? `${films.length} film${films.length === 1 ? '' : 's'} and ${people.length} ${people.length === 1 ? 'person' : 'people'} suggested. Use the up and down arrows to choose, Enter to open.`
          : ''}
      </p>
    </div>
  );
}
