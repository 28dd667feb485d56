// newsner review page. The Rust side has already cut every article into
// segments (code-point offsets never reach JavaScript, whose strings are
// UTF-16); this script only filters, paginates and paints, and builds DOM
// nodes with textContent so nothing in the data is ever parsed as HTML.
(function () {
  'use strict';
  const PAGE = 20;
  const t0 = performance.now();
  const data = JSON.parse(document.getElementById('newsner-data').textContent);
  const docs = data.docs;
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  };
  const color = (label) => data.labels[label] || '#ddd';
  const count = (n, one, many) => n + ' ' + (n === 1 ? one : many);

  // --- header: stats, legend, filter options -------------------------------
  let nInc = 0, nEnt = 0;
  const types = new Map(), countries = new Map();
  const bump = (m, k) => m.set(k, (m.get(k) || 0) + 1);
  for (const d of docs) {
    nInc += d.inc.length;
    nEnt += d.ents.length;
    new Set(d.inc.map((c) => c.type)).forEach((t) => bump(types, t));
    new Set(d.inc.map((c) => c.country).filter(Boolean)).forEach((c) => bump(countries, c));
  }
  $('stats').textContent = [count(docs.length, 'article', 'articles'), count(nEnt, 'entity', 'entities'), count(nInc, 'incident', 'incidents')].join(' · ');
  for (const label of Object.keys(data.labels)) {
    const s = el('span', null, label);
    s.style.setProperty('--c', color(label));
    $('legend').appendChild(s);
  }
  const fill = (select, first, extra, counts) => {
    select.appendChild(new Option(first, ''));
    for (const [v, t] of extra) select.appendChild(new Option(t, v));
    [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .forEach(([k, n]) => select.appendChild(new Option(k + ' (' + n + ')', k)));
  };
  const withInc = docs.filter((d) => d.inc.length).length;
  fill($('type'), 'All articles', [['*', 'with incidents (' + withInc + ')'], ['-', 'without incidents (' + (docs.length - withInc) + ')']], types);
  fill($('country'), 'All countries', [], countries);

  // --- map: bundled country outlines, one marker per incident place ---------------
  // No tiles and no network: Natural Earth outlines travel in the page, in an
  // equirectangular projection the marker arithmetic below shares.
  const world = JSON.parse($('newsner-map').textContent);
  const svg = $('map-svg');
  const svgEl = (tag, attrs, title) => {
    const e = document.createElementNS(svg.namespaceURI, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (title) e.appendChild(document.createElementNS(svg.namespaceURI, 'title')).textContent = title;
    return e;
  };
  svg.setAttribute('viewBox', '0 0 ' + world.w + ' ' + world.h);
  const shapes = new Map(), names = new Map();
  for (const [cc, name, d] of world.c) {
    const n = countries.get(cc) || 0;
    const p = svgEl('path', { d, class: n ? 'land has' : 'land' }, n ? name + ' · ' + count(n, 'article', 'articles') + ' with incidents' : name);
    if (cc) {
      p.setAttribute('data-cc', cc);
      shapes.set(cc, p);
      names.set(cc, name);
    }
    if (n) p.addEventListener('click', () => pickCountry(cc));
    svg.appendChild(p);
  }
  const places = new Map();
  for (const d of docs) {
    for (const c of d.inc) {
      if (!c.ll) continue;
      const key = c.ll[0].toFixed(2) + ',' + c.ll[1].toFixed(2);
      if (!places.has(key)) places.set(key, { ll: c.ll, inc: [] });
      places.get(key).inc.push(c);
    }
  }
  for (const place of places.values()) {
    const ids = place.inc.slice(0, 5).map((c) => c.id + ' (' + c.type.replace(/_/g, ' ') + ')');
    const more = place.inc.length > 5 ? ' and ' + (place.inc.length - 5) + ' more' : '';
    const m = svgEl('circle', {
      class: 'mk',
      cx: ((place.ll[1] - world.lon0) * world.k).toFixed(1),
      cy: ((world.lat0 - place.ll[0]) * world.k).toFixed(1),
      r: (8 + 3 * Math.min(5, Math.sqrt(place.inc.length - 1))).toFixed(1),
      'data-n': place.inc.length,
    }, count(place.inc.length, 'incident', 'incidents') + ': ' + ids.join(', ') + more);
    m.addEventListener('click', () => openIncident(place.inc[0].id));
    svg.appendChild(m);
  }

  // --- filtering ---------------------------------------------------------------
  const state = { q: '', t: '', c: '', p: 0 };
  const haystacks = new Array(docs.length);
  const haystack = (i) => {
    if (haystacks[i] === undefined) {
      const d = docs[i];
      const slots = d.inc.map((c) => c.type + ' ' + c.rows.map((r) => r.items.map((it) => it.v).join(' ')).join(' '));
      haystacks[i] = [d.id, d.title || '', d.segs.map((s) => s.t).join(''), slots.join(' ')].join('\n').toLowerCase();
    }
    return haystacks[i];
  };
  const matches = (i) => {
    const d = docs[i];
    if (state.t === '*' && !d.inc.length) return false;
    if (state.t === '-' && d.inc.length) return false;
    const byType = state.t && state.t !== '*' && state.t !== '-';
    if ((byType || state.c) && !d.inc.some((c) => (!byType || c.type === state.t) && (!state.c || c.country === state.c))) return false;
    return !state.q || haystack(i).includes(state.q.toLowerCase());
  };
  let shown = [];
  const refilter = () => {
    shown = [];
    for (let i = 0; i < docs.length; i++) if (matches(i)) shown.push(i);
  };

  // --- highlighting --------------------------------------------------------------
  const clear = (art) => {
    art.querySelectorAll('.hl, .ev').forEach((n) => n.classList.remove('hl', 'ev'));
    art.querySelectorAll('.on').forEach((n) => n.classList.remove('on'));
  };
  const mark = (art, ids, cls) => {
    let first = null;
    for (const id of ids) {
      art.querySelectorAll('[data-s~="' + id + '"]').forEach((n) => {
        n.classList.add(cls);
        if (!first) first = n;
      });
    }
    return first;
  };
  // Shows the incident's evidence, and the slot's own text on top of it.
  const focus = (art, cardEl, card, item, button, scroll) => {
    const again = button && button.classList.contains('on');
    clear(art);
    if (again) return;
    cardEl.classList.add('on');
    if (button) button.classList.add('on');
    const ev = mark(art, card.ev, 'ev');
    const hl = item ? mark(art, item.s, 'hl') : null;
    const target = hl || ev;
    if (target) target.scrollIntoView({ block: 'center', behavior: scroll || 'smooth' });
  };

  // --- painting ------------------------------------------------------------------
  const paintText = (d) => {
    const box = el('div', 'text');
    let m = null, me = -1;
    const close = () => {
      if (m) m.appendChild(el('span', 'lbl', d.ents[me].l));
      m = null; me = -1;
    };
    for (const s of d.segs) {
      let node;
      if (s.s) {
        node = el('span', 'sp', s.t);
        node.setAttribute('data-s', s.s.join(' '));
      } else {
        node = document.createTextNode(s.t);
      }
      if (s.e === undefined) {
        close();
        box.appendChild(node);
        continue;
      }
      if (s.e !== me) {
        close();
        const ent = d.ents[s.e];
        m = el('mark', 'ent');
        m.style.setProperty('--c', color(ent.l));
        m.setAttribute('data-label', ent.l);
        m.title = ent.l + (ent.c ? ' · ' + ent.c : '') + (ent.g ? ' · ' + ent.g : '') + (ent.sc !== undefined ? ' · ' + ent.sc.toFixed(2) : '') + ' · ' + ent.id;
        me = s.e;
        box.appendChild(m);
      }
      m.appendChild(node);
    }
    close();
    return box;
  };

  const paintCard = (art, card) => {
    const box = el('section', 'card');
    box.setAttribute('data-inc', card.id);
    const head = el('button', 'card-head');
    head.type = 'button';
    head.title = 'show the evidence in the text';
    head.appendChild(el('span', 'type', card.type.replace(/_/g, ' ')));
    head.appendChild(el('span', 'cid', card.id));
    if (card.confidence !== undefined) head.appendChild(el('span', 'conf', 'confidence ' + card.confidence.toFixed(2)));
    head.addEventListener('click', () => focus(art, box, card, null, head));
    box.appendChild(head);
    const dl = el('dl');
    for (const row of card.rows) {
      dl.appendChild(el('dt', null, row.k));
      const dd = el('dd');
      for (const item of row.items) {
        const b = el(item.s.length ? 'button' : 'span', 'slot' + (item.x ? '' : ' approx'), item.v);
        if (item.d) b.appendChild(el('small', null, item.d));
        if (item.s.length) {
          b.type = 'button';
          b.title = item.x ? 'show in the text' : 'no offsets for this slot: showing the incident evidence';
          b.addEventListener('click', () => focus(art, box, card, item, b));
        } else {
          b.title = 'not found in the text';
        }
        dd.appendChild(b);
      }
      dl.appendChild(dd);
    }
    box.appendChild(dl);
    return box;
  };

  const paintDoc = (i) => {
    const d = docs[i];
    const art = el('article', 'doc');
    art.id = 'doc-' + i;
    art.setAttribute('data-id', d.id);
    const head = el('header');
    head.appendChild(el('h2', null, d.title || d.id));
    const meta = el('div', 'meta');
    meta.appendChild(el('span', null, d.id));
    if (d.pub) meta.appendChild(el('span', null, d.pub));
    meta.appendChild(el('span', null, count(d.ents.length, 'entity', 'entities') + ' · ' + count(d.inc.length, 'incident', 'incidents')));
    if (d.url) {
      const a = el('a', null, d.url);
      a.href = d.url;
      a.rel = 'noopener noreferrer';
      a.target = '_blank';
      meta.appendChild(a);
    }
    head.appendChild(meta);
    for (const n of d.notes || []) head.appendChild(el('p', 'note ' + n.level, n.msg));
    art.appendChild(head);
    const body = el('div', 'doc-body');
    body.appendChild(paintText(d));
    const aside = el('aside', 'incidents');
    if (!d.inc.length) aside.appendChild(el('p', 'none', 'No incident found.'));
    for (const c of d.inc) aside.appendChild(paintCard(art, c));
    body.appendChild(aside);
    art.appendChild(body);
    return art;
  };

  const pages = () => Math.max(1, Math.ceil(shown.length / PAGE));
  const paintPager = (nav, scrollUp) => {
    nav.textContent = '';
    const btn = (text, to, label) => {
      const b = el('button', null, text);
      b.type = 'button';
      b.setAttribute('aria-label', label);
      b.disabled = to < 0 || to >= pages() || to === state.p;
      b.addEventListener('click', () => {
        state.p = to;
        paint(false);
        if (scrollUp) window.scrollTo(0, 0);
      });
      nav.appendChild(b);
    };
    btn('«', 0, 'first page');
    btn('‹', state.p - 1, 'previous page');
    const from = shown.length ? state.p * PAGE + 1 : 0;
    const to = Math.min(shown.length, (state.p + 1) * PAGE);
    nav.appendChild(el('span', 'range', 'articles ' + from + '–' + to + ' of ' + shown.length + ' · page ' + (state.p + 1) + ' of ' + pages()));
    btn('›', state.p + 1, 'next page');
    btn('»', pages() - 1, 'last page');
  };

  const saveHash = () => {
    const h = new URLSearchParams();
    for (const k of ['q', 't', 'c']) if (state[k]) h.set(k, state[k]);
    if (state.p) h.set('p', String(state.p + 1));
    const url = location.pathname + location.search + (h.toString() ? '#' + h.toString() : '');
    // Some browsers refuse history updates on file:// pages; the URL state
    // is a convenience for sharing a view, so the page works without it.
    try { history.replaceState(null, '', url); } catch (e) { /* see above */ }
  };

  const paint = (keepHash) => {
    state.p = Math.min(state.p, pages() - 1);
    const main = $('docs');
    main.textContent = '';
    const frag = document.createDocumentFragment();
    for (const i of shown.slice(state.p * PAGE, (state.p + 1) * PAGE)) frag.appendChild(paintDoc(i));
    if (!shown.length) frag.appendChild(el('p', 'empty', 'No article matches these filters.'));
    main.appendChild(frag);
    paintPager($('pager-top'), false);
    paintPager($('pager-bottom'), true);
    paintMap();
    if (!keepHash) saveHash();
  };

  const paintMap = () => {
    shapes.forEach((p, cc) => p.classList.toggle('sel', cc === state.c));
    $('map-reset').hidden = !state.c;
    $('map-status').textContent = (state.c ? 'Incidents in ' + (names.get(state.c) || state.c) + ' · ' : '') +
      count(places.size, 'place', 'places') + ' on the map';
  };

  // --- controls and deep links ------------------------------------------------------
  const apply = () => {
    state.q = $('q').value.trim();
    state.t = $('type').value;
    state.c = $('country').value;
    state.p = 0;
    refilter();
    paint(false);
  };
  let timer = 0;
  $('q').addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(apply, 200); });
  $('type').addEventListener('change', apply);
  $('country').addEventListener('change', apply);

  // A click on a country filters by it; a second click (or the reset) clears.
  const pickCountry = (cc) => {
    $('country').value = state.c === cc ? '' : cc;
    apply();
  };
  $('map-reset').addEventListener('click', () => pickCountry(''));

  // Pages to the article of `want` (an incident or article id) and shows
  // the incident's evidence.
  const open = (want, keepHash, scroll) => {
    const at = want ? shown.findIndex((i) => docs[i].id === want || docs[i].inc.some((c) => c.id === want)) : -1;
    if (at >= 0) state.p = Math.floor(at / PAGE);
    paint(keepHash);
    if (at < 0) return;
    const art = $('doc-' + shown[at]);
    const ci = docs[shown[at]].inc.findIndex((c) => c.id === want);
    if (ci >= 0) {
      const cardEl = art.querySelectorAll('.card')[ci];
      focus(art, cardEl, docs[shown[at]].inc[ci], null, cardEl.querySelector('.card-head'), scroll);
    } else {
      art.scrollIntoView();
    }
  };
  // A marker opens its incident, clearing filters that hide it.
  const openIncident = (id) => {
    if (!shown.some((i) => docs[i].inc.some((c) => c.id === id))) {
      $('q').value = $('type').value = $('country').value = '';
      state.q = state.t = state.c = '';
      refilter();
    }
    open(id, false, 'smooth');
  };

  // `#inc=<incident id>` opens the article of an incident with its evidence
  // shown (a link from an incident database row); `#doc=<id>` opens an
  // article; `#q=…&t=…&c=…&p=…` restores a filtered view.
  const h = new URLSearchParams(location.hash.slice(1));
  $('q').value = h.get('q') || '';
  $('type').value = h.get('t') || '';
  $('country').value = h.get('c') || '';
  state.q = $('q').value; state.t = $('type').value; state.c = $('country').value;
  state.p = Math.max(0, (parseInt(h.get('p'), 10) || 1) - 1);
  refilter();
  open(h.get('inc') || h.get('doc'), true, 'instant');

  document.body.setAttribute('data-render-ms', String(Math.round(performance.now() - t0)));
  document.body.setAttribute('data-ready', '1');
})();
