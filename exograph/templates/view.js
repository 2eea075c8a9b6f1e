/* exograph view: legend, filters, search, neighbourhood focus, ranked paths, the node / claim panels,
   the claims table and the permalink in the URL hash.
   Every element is built with DOM APIs and textContent; no data is ever parsed as HTML. */
"use strict";
(() => {
  const data = JSON.parse(document.getElementById("exograph-data").textContent);
  const nodeInfo = data.details.nodes;
  const edgeInfo = data.details.edges;
  const large = data.large;
  // Colours of the canvas text follow the system's light or dark setting.
  const dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : { matches: false };
  const textColour = () => (dark.matches ? "#e6edf3" : "#1f2328");
  const theme = () => {
    const paper = dark.matches ? "#0d1117" : "#ffffff";
    return { nodes: { font: { color: textColour(), strokeColor: paper } },
             edges: { font: { color: dark.matches ? "#9198a1" : "#4a5560", strokeColor: paper } } };
  };
  Object.assign(data.options.nodes.font, theme().nodes.font);
  Object.assign(data.options.edges.font, theme().edges.font);
  // Node borders and the selection colour follow the theme too (each item carries its colours).
  const marks = () => (dark.matches ? { border: data.styles.border_dark, highlight: data.styles.highlight_dark }
    : { border: data.styles.border, highlight: data.styles.highlight });
  function markColours(items, edgeItems) {
    const { border, highlight } = marks();
    items.forEach((node) => { Object.assign(node.color, { border }); node.color.highlight.border = highlight; node.color.hover.border = border; });
    edgeItems.forEach((edge) => { edge.color.highlight = highlight; });
  }
  markColours(data.nodes, data.edges);
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const network = new vis.Network(document.getElementById("graph"), { nodes, edges }, data.options);
  const edgeById = new Map(data.edges.map((edge) => [edge.id, edge]));
  const [ARROW_SCALE, EDGE_SCALE] = [0.5, 0.2]; // large graphs only: see cullEdges
  if (large) cullEdges(network);
  const incident = new Map(data.nodes.map((node) => [node.id, []]));
  data.edges.forEach((edge) => {
    incident.get(edge.from).push(edge.id);
    if (edge.to !== edge.from) incident.get(edge.to).push(edge.id);
  });
  const groupOf = new Map();
  data.groups.forEach((claims, index) => claims.forEach((id) => groupOf.set(id, index)));
  const legend = new Map(data.legend.map((entry) => [entry.category, entry]));
  const SHOWN_ELSEWHERE = new Set(["predicate", "publication", "evidence"]); // claim card: in the statement / as links
  const CONTEXT = ["model_system", "disease", "species", "phase", "topic"];
  const still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const animation = data.animate && !still ? { duration: 400 } : false;
  const state = { categories: new Set(legend.keys()), facets: new Map(), focus: null, path: null, selection: null,
                  shownNodes: new Set(), shownEdges: new Set(), spot: null };
  const $ = (id) => document.getElementById(id);
  window.exograph = { network, nodes, edges, data, state };

  // vis draws every edge and arrow on every frame, on screen or not (nodes it culls). On large
  // graphs, skip the edges whose bounding box misses the screen, and the arrowheads whose node
  // (where they are drawn) is off screen; zoomed out below ARROW_SCALE skip the arrowheads (a
  // pixel or two), below EDGE_SCALE the claims too, but those of selected nodes (vis-network 9
  // internals; left alone if they are not there).
  function cullEdges(net) {
    const renderer = net.renderer;
    if (!renderer || typeof renderer._drawEdges !== "function" || typeof renderer._drawArrows !== "function") return;
    const screen = () => {
      const canvas = net.canvas;
      const margin = 60 / net.getScale();
      const [a, b] = [canvas.DOMtoCanvas({ x: 0, y: 0 }), canvas.DOMtoCanvas({ x: canvas.frame.canvas.clientWidth, y: canvas.frame.canvas.clientHeight })];
      return { left: a.x - margin, top: a.y - margin, right: b.x + margin, bottom: b.y + margin };
    };
    const crosses = (view, edge) => {
      const [from, to] = [edge.from, edge.to];
      const bend = edge.options.smooth && edge.options.smooth.enabled ? Math.hypot(to.x - from.x, to.y - from.y) / 2 : 0;
      return Math.max(from.x, to.x) + bend >= view.left && Math.min(from.x, to.x) - bend <= view.right
        && Math.max(from.y, to.y) + bend >= view.top && Math.min(from.y, to.y) - bend <= view.bottom;
    };
    const inside = (view, node) => node.x >= view.left && node.x <= view.right && node.y >= view.top && node.y <= view.bottom;
    const culled = (method, shown, least) => function cull(context) {
      const view = screen();
      const zoomedOut = net.getScale() < least;
      const { edges: all, edgeIndices } = this.body;
      for (let i = 0; i < edgeIndices.length; i += 1) {
        const edge = all[edgeIndices[i]];
        if (edge.connected !== true) continue;
        if (zoomedOut ? edge.from.selected || edge.to.selected || edge.selected : !edge.from || !edge.to || shown(view, edge)) edge[method](context);
      }
    };
    renderer._drawEdges = culled("draw", crosses, EDGE_SCALE);
    renderer._drawArrows = culled("drawArrows", (view, edge) => inside(view, edge.to), ARROW_SCALE);
  }

  // ------------------------------------------------------------ DOM helpers (text only)
  function el(tag, text, className) {
    const element = document.createElement(tag);
    if (text !== undefined && text !== null) element.textContent = String(text);
    if (className) element.className = className;
    return element;
  }

  function link(item) {
    if (!item.url || !/^https?:\/\//i.test(item.url)) return el("span", item.text);
    const anchor = el("a", item.text);
    anchor.href = item.url;
    anchor.target = "_blank";
    anchor.rel = "noopener noreferrer";
    return anchor;
  }

  function button(text, action, className) {
    const element = el("button", text, className);
    element.type = "button";
    element.addEventListener("click", action);
    return element;
  }

  function glyph(category) {
    const entry = legend.get(category);
    const element = el("span", entry ? entry.glyph : "", "glyph");
    element.setAttribute("aria-hidden", "true");
    if (entry) element.style.color = entry.color;
    return element;
  }

  const labelOf = (id) => (nodeInfo[id] ? nodeInfo[id].label : id);
  const nodeButton = (id) => button(labelOf(id), () => selectNode(id), "link");
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : /(ch|sh|s|x)$/.test(word) ? "es" : "s"}`;
  const citationOf = (curie) => (data.publications[curie] ? data.publications[curie].text : curie);
  const groupClaims = (id) => data.groups[groupOf.get(id)];
  const publicationsOf = (claims) => new Set(claims.flatMap((id) => edgeInfo[id].sources));
  // "N publications", or, as `exograph paths` says it, that nothing traceable backs the claims.
  const sourcesOf = (claims) => { const count = publicationsOf(claims).size; return count ? plural(count, "publication") : "no traceable source"; };
  const claimText = (id) => `${labelOf(edgeById.get(id).from)} — ${edgeInfo[id].predicate} → ${labelOf(edgeById.get(id).to)}`;

  function badge(text, kind, title) {
    const element = el("span", text, `badge ${kind}`);
    if (title) element.title = title;
    return element;
  }

  // One line for a group of replicated claims: the statement, "N publications", a conflict flag.
  function groupLine(id) {
    const claims = groupClaims(id);
    const line = el("span");
    line.append(button(claimText(id), () => selectClaim(id), "link"),
      el("span", `· ${sourcesOf(claims)}`, "support"));
    if (edgeInfo[id].conflict) line.append(badge("⚠ conflicting", "conflict", "Another claim on this pair has the opposite polarity"));
    return line;
  }

  // Why a publication has no PubMed or DOI link: the curators' verification note says.
  const noLink = (publication) => (/^UNVERIFIED/i.test(publication.note || "")
    ? "its PubMed ID and DOI are not verified, so none is given"
    : `no PubMed ID or DOI is recorded${publication.note ? ` (curators' note: ${publication.note})` : ""}`);

  function sourceLinks(curie) {
    const publication = data.publications[curie];
    const item = el("span");
    if (!publication) return el("span", curie);
    item.append(el("span", publication.text));
    publication.links.forEach((target) => item.append(" · ", link(target)));
    if (!publication.links.some((target) => target.url)) item.append(el("span", ` · no link: ${noLink(publication)}`, "support"));
    if (publication.citation !== publication.text) item.title = publication.citation;
    return item;
  }

  // ------------------------------------------------------------ filters, spotlight and counts
  const categoryPasses = (id) => state.categories.has(nodeInfo[id].category);

  function facetsPass(id) {
    const facets = edgeInfo[id].facets;
    for (const [name, value] of state.facets) if (!(facets[name] || []).includes(value)) return false;
    return true;
  }

  // Hiding and fading without vis-network's DataSet: vis re-processes every item given to
  // DataSet.update (seconds at 15k claims), so the page keeps its own sets. vis draws and
  // hit-tests only body.nodeIndices / edgeIndices: after vis fills them they are trimmed to the
  // shown items; faded items are drawn at low alpha, but on large graphs faded claims are not drawn
  // (vis-network 9 internals, checked at load).
  const FADED = 0.15;
  const faded = { nodes: new Set(), edges: new Set() };
  function installLayers(net) {
    const [aNode, anEdge] = [Object.values(net.body.nodes)[0], Object.values(net.body.edges)[0]];
    if (typeof net._updateVisibleIndices !== "function" || !Array.isArray(net.body.nodeIndices)
        || (aNode && typeof aNode.draw !== "function") || (anEdge && typeof anEdge.drawArrows !== "function")) {
      throw new Error("exograph view: this vis-network lacks the internals the view needs (vis-network 9)");
    }
    const fading = (proto, method, ids, drop) => {
      const original = proto[method];
      proto[method] = function draw(context, ...rest) {
        if (!ids.has(this.id)) return original.call(this, context, ...rest);
        if (drop) return undefined;
        const alpha = context.globalAlpha;
        context.globalAlpha = alpha * FADED;
        try {
          const result = original.call(this, context, ...rest);
          const label = result && result.drawExternalLabel;
          if (label) result.drawExternalLabel = () => { context.globalAlpha = alpha * FADED; label(); context.globalAlpha = alpha; };
          return result;
        } finally { context.globalAlpha = alpha; }
      };
    };
    if (aNode) fading(Object.getPrototypeOf(aNode), "draw", faded.nodes);
    if (anEdge) ["draw", "drawArrows"].forEach((method) => fading(Object.getPrototypeOf(anEdge), method, faded.edges, large));
    const fill = net._updateVisibleIndices;
    net._updateVisibleIndices = function trimmed() {
      fill.call(this);
      this.body.nodeIndices = this.body.nodeIndices.filter((id) => state.shownNodes.has(id));
      this.body.edgeIndices = this.body.edgeIndices.filter((id) => state.shownEdges.has(id));
    };
  }

  function fade(spot) { // spot: { nodes: Set, edges: Set } stays bright, the rest fades; null: all bright
    faded.nodes.clear();
    faded.edges.clear();
    if (!spot) return;
    data.nodes.forEach((node) => { if (!spot.nodes.has(node.id)) faded.nodes.add(node.id); });
    data.edges.forEach((edge) => { if (!spot.edges.has(edge.id)) faded.edges.add(edge.id); });
  }

  // Claims the table and the counts cover: shown by the filters and, with a focus or a path, inside it.
  const isVisible = (id) => state.shownEdges.has(id) && (!state.spot || state.spot.edges.has(id));
  const visibleClaims = () => [...state.shownEdges].filter(isVisible);

  function applyFilters() {
    state.shownEdges = new Set(data.edges.filter((e) => categoryPasses(e.from) && categoryPasses(e.to) && facetsPass(e.id)).map((e) => e.id));
    const needsClaim = state.facets.size > 0;
    state.shownNodes = new Set(data.nodes.filter((n) => categoryPasses(n.id)
      && (!needsClaim || incident.get(n.id).some((e) => state.shownEdges.has(e)))).map((n) => n.id));
    network._updateVisibleIndices();
    state.spot = state.focus ? focusSpot() : state.path ? state.path.spot : null;
    fade(state.spot);
    network.body.emitter.emit("_requestRedraw"); // one drawing in the next frame, after any refit
    const claims = visibleClaims().length;
    const shownNodes = state.spot ? [...state.shownNodes].filter((id) => state.spot.nodes.has(id)).length : state.shownNodes.size;
    $("counts").textContent = `${shownNodes} of ${data.nodes.length} nodes · ${claims} of ${data.edges.length} claims`;
    if (!$("table-view").hidden) renderTable();
    if (!$("panel").hidden && $("panel").dataset.kind === "node" && state.selection) showNode(state.selection.id, true);
    saveHash();
  }

  // Fit (or centre) these nodes in the part of the graph the panel leaves uncovered.
  function show(ids, scale) {
    if (scale === undefined) network.fit({ nodes: ids, animation: false });
    const panel = $("panel").hidden ? null : $("panel").getBoundingClientRect();
    const graph = $("graph").getBoundingClientRect();
    const zoom = scale === undefined ? network.getScale() * (panel ? 0.8 : 1) : scale;
    const centre = scale === undefined ? network.getViewPosition() : network.getPosition(ids[0]);
    const side = panel && panel.width < graph.width * 0.9; // a side panel, else a bottom sheet
    const dx = panel && side ? Math.max(0, graph.right - panel.left) / 2 : 0;
    const dy = panel && !side ? Math.max(0, graph.bottom - panel.top) / 2 : 0;
    // No animation while a permalink is applied: vis-network loses track of an animated move when a
    // second one starts before the first one's first frame.
    network.moveTo({ position: { x: centre.x + dx / zoom, y: centre.y + dy / zoom }, scale: zoom, animation: restoring ? false : animation });
  }

  function refit() {
    const target = state.spot ? [...state.spot.nodes].filter((id) => state.shownNodes.has(id)) : [...state.shownNodes];
    if (target.length) show(target);
  }

  function applyAndFit() {
    applyFilters();
    refit();
  }

  function setCategories(categories) {
    state.categories = new Set(categories);
    document.querySelectorAll("#legend input").forEach((box) => { box.checked = state.categories.has(box.value); });
  }

  function setFacet(name, value) {
    if (value) state.facets.set(name, value); else state.facets.delete(name);
    const select = $(`facet-${name}`);
    if (select) select.value = value || "";
  }

  function resetFilters() { // the caller applies them
    [...state.facets.keys()].forEach((name) => setFacet(name, ""));
    state.focus = null;
    state.path = null;
    setCategories(legend.keys());
  }

  function buildLegend() {
    data.legend.forEach((entry) => {
      const box = el("input");
      box.type = "checkbox";
      box.value = entry.category;
      box.checked = true;
      box.addEventListener("change", () => {
        if (box.checked) state.categories.add(entry.category); else state.categories.delete(entry.category);
        applyAndFit();
      });
      const label = el("label");
      label.append(box, glyph(entry.category), el("span", entry.category), el("span", entry.count, "count"));
      $("legend").append(label);
    });
    const svg = "http://www.w3.org/2000/svg";
    const line = (style, width) => {
      const image = document.createElementNS(svg, "svg");
      image.setAttribute("width", "36");
      image.setAttribute("height", "12");
      image.setAttribute("aria-hidden", "true");
      const stroke = document.createElementNS(svg, "line");
      [["x1", 2], ["y1", 6], ["x2", style.arrow === "bar" ? 31 : 28], ["y2", 6], ["stroke", style.color], ["stroke-width", width]]
        .forEach(([name, value]) => stroke.setAttribute(name, value));
      if (style.dashes) stroke.setAttribute("stroke-dasharray", style.dashes.join(" "));
      const head = document.createElementNS(svg, style.arrow === "bar" ? "line" : "polygon");
      if (style.arrow === "bar") [["x1", 32], ["y1", 1], ["x2", 32], ["y2", 11], ["stroke", style.color], ["stroke-width", 2.5]].forEach(([n, v]) => head.setAttribute(n, v));
      else { head.setAttribute("points", "27,2 34,6 27,10"); head.setAttribute("fill", style.color); }
      image.append(stroke, head);
      return image;
    };
    const key = (image, text) => { const row = el("div", null, "key"); row.append(image, el("span", text)); $("edge-key").append(row); };
    Object.values(data.styles.polarity).forEach((style) => key(line(style, 1.5), style.label));
    key(line(data.styles.edge, 1.5), data.styles.edge.label);
    key(line(data.styles.edge, 4), "thick: claims on this pair disagree (⚠ conflicting)");
    const size = el("div", "Node size: number of claims. Shape: family of the category, colour: category.", "key");
    $("edge-key").append(size);
    if (!large) $("edge-key").append(el("div", "Claim labels appear when zoomed in; hover a claim to read it.", "key"));
    else $("edge-key").append(el("div", `Large graph (${data.nodes.length} nodes): claim labels and animations are off; zoomed far out, only a selected node's claims are drawn, and with a focus or path only its claims; hover a claim to read it.`, "key"));
  }

  function buildFacets() {
    data.facets.forEach((facet) => {
      const counts = new Map();
      Object.values(edgeInfo).forEach((info) => (info.facets[facet.name] || []).forEach((value) => counts.set(value, (counts.get(value) || 0) + 1)));
      if (!counts.size) return;
      const select = el("select");
      select.id = `facet-${facet.name}`;
      select.append(new Option("any", ""));
      [...counts.keys()].sort((a, b) => a.localeCompare(b)).forEach((value) => select.append(new Option(`${value} (${counts.get(value)})`, value)));
      select.addEventListener("change", () => { setFacet(facet.name, select.value); applyAndFit(); });
      const label = el("label", facet.heading);
      label.append(select);
      $("facets").append(label);
    });
  }

  // ------------------------------------------------------------ neighbourhood
  const usable = (e) => state.shownEdges.has(e);

  function focusSpot() {
    const reached = new Map([[state.focus.id, 0]]);
    let frontier = [state.focus.id];
    for (let depth = 0; depth < state.focus.hops && frontier.length; depth += 1) {
      const next = [];
      frontier.forEach((node) => incident.get(node).forEach((id) => {
        const edge = edgeById.get(id);
        const other = edge.from === node ? edge.to : edge.from;
        if (usable(id) && !reached.has(other)) { reached.set(other, depth + 1); next.push(other); }
      }));
      frontier = next;
    }
    const spotNodes = new Set(reached.keys());
    return { nodes: spotNodes, edges: new Set(data.edges.filter((e) => spotNodes.has(e.from) && spotNodes.has(e.to)).map((e) => e.id)) };
  }

  function focusOn(id) {
    state.path = null;
    state.focus = { id, hops: Math.max(1, parseInt($("hops").value, 10) || 1) };
    applyAndFit();
    say(`Focus: ${labelOf(id)} and ${plural(state.focus.hops, "hop")} around it; the rest is dimmed.`);
  }

  // ------------------------------------------------------------ paths, ranked by evidence (as exograph paths)
  function support(claims) {
    const best = new Map();
    let uncited = 0;
    claims.forEach((id) => {
      const info = edgeInfo[id];
      info.sources.forEach((curie) => best.set(curie, Math.max(best.get(curie) || 0, info.weight)));
      if (!info.sources.length) uncited += 0.5;
    });
    return [...best.values()].reduce((a, b) => a + b, 0) + uncited;
  }

  // The hops out of a node: claims grouped by (next node, predicate, direction); a claim is followed
  // backwards only when `either` is set and it is not a claim of effect; symmetric ones read forwards.
  function hopsFrom(node, either) {
    const grouped = new Map();
    incident.get(node).forEach((id) => {
      if (!usable(id)) return;
      const edge = edgeById.get(id);
      const info = edgeInfo[id];
      let next = null;
      let against = false;
      if (edge.from === node) next = edge.to;
      else if (info.symmetric) next = edge.from;
      else if (either && !info.polarity) { next = edge.from; against = true; }
      if (next === null || next === node) return;
      const key = `${next}\u0000${info.predicate}\u0000${against}`;
      if (!grouped.has(key)) grouped.set(key, { to: next, predicate: info.predicate, against, polarity: info.polarity, claims: [] });
      grouped.get(key).claims.push(id);
    });
    return [...grouped.values()].map((hop) => ({ ...hop, support: support(hop.claims) }));
  }

  function bestPaths(start, goal, either, maxHops = 4, k = 5, budget = 200000) {
    const found = [];
    const memo = new Map();
    const hops = (node) => (memo.has(node) ? memo.get(node) : memo.set(node, hopsFrom(node, either)).get(node));
    const onPath = new Set([start]);
    const trail = [];
    let steps = 0;
    (function extend(node) {
      if (steps > budget) return;
      for (const hop of hops(node)) {
        steps += 1;
        if (onPath.has(hop.to)) continue;
        trail.push({ ...hop, from: node });
        if (hop.to === goal) found.push([...trail]);
        else if (trail.length < maxHops) { onPath.add(hop.to); extend(hop.to); onPath.delete(hop.to); }
        trail.pop();
      }
    })(start);
    const key = (path) => [path.filter((hop) => hop.against).length, -Math.min(...path.map((hop) => hop.support)), path.length,
      -path.reduce((sum, hop) => sum + hop.support, 0), path.map((hop) => `${labelOf(hop.from)} ${hop.predicate} ${labelOf(hop.to)}`).join(" ")];
    const compare = (a, b) => {
      const [x, y] = [key(a), key(b)];
      for (let i = 0; i < x.length; i += 1) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
      return 0;
    };
    return { paths: found.sort(compare).slice(0, k), total: found.length, complete: steps <= budget };
  }

  const netEffect = (path) => (path.every((hop) => hop.polarity) ? (path.filter((hop) => hop.polarity === "negative").length % 2 ? "negative" : "positive") : null);

  function showPathOnGraph(path) {
    const spotNodes = new Set([path[0].from, ...path.map((hop) => hop.to)]);
    const spotEdges = new Set(path.flatMap((hop) => hop.claims));
    state.path.spot = { nodes: spotNodes, edges: spotEdges };
    state.focus = null;
    applyFilters();
    network.setSelection({ nodes: [...spotNodes], edges: [...spotEdges] }, { unselectAll: true, highlightEdges: false });
    show([...spotNodes]);
  }

  function findPaths() {
    const start = resolveField("path-from");
    const goal = resolveField("path-to");
    if (!start || !goal) return;
    const either = $("path-either").checked;
    state.path = { from: start, to: goal, either, spot: null, index: 0 };
    const body = openPanel("path", `${labelOf(start)} → ${labelOf(goal)}`);
    const result = bestPaths(start, goal, either);
    body.append(el("p", either
      ? "Following claims either way; claims of effect (positively / negatively regulates) only along their arrow."
      : "Following claims from subject to object (tick 'also against a claim's arrow' in Path to relax this)."));
    if (!result.paths.length) {
      state.path = null;
      applyFilters();
      body.append(el("p", "No path of at most 4 claims among the claims shown."));
      saveHash();
      return;
    }
    body.append(el("p", `${result.total}${result.complete ? "" : "+"} path(s) of at most 4 claims; the ${plural(result.paths.length, "best")}, ranked by evidence (the weakest hop's publications, weighted by evidence type):`));
    const cards = result.paths.map((path, index) => {
      const card = el("div", null, "path");
      const weakest = Math.min(...path.map((hop) => hop.support));
      const effect = netEffect(path);
      const against = path.filter((hop) => hop.against).length;
      card.append(el("p", `Path ${index + 1} · ${plural(path.length, "hop")} · weakest hop support ${weakest}`
        + (against ? ` · ${against} against the arrow` : "") + (effect ? ` · net effect ${effect}` : "")));
      const steps = el("ol");
      path.forEach((hop) => {
        const item = el("li");
        const claim = hop.claims[0];
        const text = hop.against ? `${labelOf(hop.from)} ← ${hop.predicate} — ${labelOf(hop.to)}` : `${labelOf(hop.from)} — ${hop.predicate} → ${labelOf(hop.to)}`;
        item.append(button(text, () => selectClaim(claim), "link"), el("span", `· ${sourcesOf(hop.claims)}`, "support"));
        if (hop.against) item.append(badge("↺ against its arrow", "against", "The claim says the opposite direction"));
        if (edgeInfo[claim].conflict) item.append(badge("⚠ conflicting", "conflict"));
        steps.append(item);
      });
      card.append(steps, button("Show on graph", () => { state.path.index = index; markShown(); showPathOnGraph(path); saveHash(); }, "show-path"));
      return card;
    });
    const markShown = () => cards.forEach((card, index) => card.classList.toggle("shown", index === state.path.index));
    body.append(...cards);
    markShown();
    showPathOnGraph(result.paths[0]);
  }

  // ------------------------------------------------------------ search
  // Search keys by the rules of exograph/normalise.py, shipped as data: case, spaces, hyphens,
  // Greek letters, US/UK spelling and the field's shorthands do not matter ("PD L1" finds PD-L1).
  const rules = data.normalise;
  const separators = new RegExp(rules.separators, "u");
  const greek = new RegExp(`[${Object.keys(rules.greek).join("")}]`, "gu");
  const shorthands = Object.entries(rules.shorthands).map(([short, full]) => [short, new RegExp(`(?<![^ ])${short}(?![^ ])`, "g"), full]);
  const ending = (word) => {
    const found = rules.endings.find(([us]) => word.endsWith(us) && word.length > us.length + 1);
    return found ? word.slice(0, -found[0].length) + found[1] : word;
  };
  function searchWords(text) {
    const lower = text.normalize("NFKC").toLowerCase().replace(greek, (letter) => ` ${rules.greek[letter]} `);
    let joined = lower.split(separators).filter(Boolean)
      .map((word) => ending(Object.hasOwn(rules.spellings, word) ? rules.spellings[word] : word)).join(" ");
    shorthands.forEach(([short, pattern, full]) => { if (joined.includes(short)) joined = joined.replace(pattern, full); });
    return joined.split(" ").filter(Boolean);
  }
  const searchKey = (text) => searchWords(text).join("");
  const maxTypos = (length) => rules.typos.reduce((most, [least, typos]) => (length >= least ? Math.max(most, typos) : most), 0);

  // Edits between two words (insert, delete, substitute, swap two neighbours), or limit + 1 once past it.
  function edits(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    let [before, previous] = [null, Array.from({ length: b.length + 1 }, (_, j) => j)];
    for (let i = 1; i <= a.length; i += 1) {
      const row = [i];
      let best = i;
      for (let j = 1; j <= b.length; j += 1) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
        best = Math.min(best, row[j]);
      }
      if (best > limit) return limit + 1;
      [before, previous] = [previous, row];
    }
    return previous[b.length];
  }

  let searchIndex = null; // built at the first search: each node's names with their keys and words
  const indexed = () => searchIndex || (searchIndex = data.nodes.map((node) => {
    const info = nodeInfo[node.id];
    const names = [info.label, ...info.synonyms].map((text, index) => {
      const words = searchWords(text);
      return { text, lower: text.toLowerCase(), key: words.join(""), words, what: index ? `synonym “${text}”` : "label" };
    });
    return { id: node.id, curie: node.id.toLowerCase(), names };
  }));

  // Hits as [id, why], best first: CURIE or label, synonym, the same after normalising (these are
  // exact), then starts with, contains it or every word of it, and last within a few typos (approximate).
  function search(text) {
    const typed = text.trim().toLowerCase();
    const wanted = searchWords(text);
    const key = wanted.join("");
    if (!typed) return { hits: [], exact: false };
    const entries = indexed();
    const tiers = [
      (entry) => (entry.curie === typed ? "CURIE" : entry.names[0].lower === typed ? "label" : null),
      (entry) => entry.names.slice(1).find((name) => name.lower === typed)?.what,
      (entry) => key && entry.names.find((name) => name.key === key)?.what.concat(", ignoring case, spacing, spelling and shorthands"),
    ];
    for (const tier of tiers) {
      const hits = entries.map((entry) => [entry.id, tier(entry)]).filter(([, why]) => why);
      if (hits.length) return { hits, exact: true };
    }
    if (!key) return { hits: [], exact: false };
    const close = [[], [], []];
    const typos = wanted.map((word) => maxTypos(word.length));
    entries.forEach((entry) => {
      let found = entry.names.find((name) => name.key.startsWith(key));
      if (found) { close[0].push([entry.id, `${found.what} starts with it`, 0]); return; }
      found = entry.names.find((name) => name.key.includes(key));
      if (found) { close[1].push([entry.id, `${found.what} contains it`, 0]); return; }
      if (wanted.length > 1) {
        found = entry.names.find((name) => wanted.every((word) => name.words.some((other) => other.startsWith(word))));
        if (found) { close[1].push([entry.id, `${found.what} has every word`, 0]); return; }
      }
      let best = null;
      entry.names.forEach((name) => {
        let total = 0;
        for (let i = 0; i < wanted.length && total !== null; i += 1) {
          const costs = name.words.map((other) => (other.startsWith(wanted[i]) ? 0 : edits(wanted[i], other, typos[i])));
          const least = Math.min(...costs);
          total = least <= typos[i] ? total + least : null;
        }
        if (total && (!best || total < best[1])) best = [name, total];
      });
      if (best) close[2].push([entry.id, `approximate: ${best[0].what}, ${plural(best[1], "typo")} apart`, best[1]]);
    });
    const order = (a, b) => a[2] - b[2] || labelOf(a[0]).length - labelOf(b[0]).length || labelOf(a[0]).localeCompare(labelOf(b[0]));
    return { hits: close.flatMap((tier) => tier.sort(order).map(([id, why]) => [id, why])), exact: false };
  }

  const LISTED = 50;
  const describe = (id, why) => `${nodeInfo[id].category} · ${id} · ${why}`;

  function showHits(hits, choose) {
    const list = $("hits");
    list.replaceChildren(...hits.slice(0, LISTED).map(([id, why]) => {
      const item = el("li");
      const choice = button(labelOf(id), () => { hideHits(); $("search").focus(); choose(id); });
      choice.append(el("span", ` — ${describe(id, why)}`, "why"));
      item.append(choice);
      return item;
    }));
    list.hidden = false;
  }

  function hideHits() {
    $("hits").hidden = true;
    $("search-status").textContent = "";
  }

  function matchCount(hits, exact) {
    const listed = hits.length > LISTED ? ` (first ${LISTED} listed)` : "";
    return exact ? `${hits.length} nodes have this name${listed}` : `no exact match; ${plural(hits.length, "close match")}${listed}`;
  }

  function runSearch() {
    const text = $("search").value;
    const { hits, exact } = search(text);
    hideHits();
    if (!hits.length) { $("search-status").textContent = text.trim() ? `no match for "${text.trim()}"` : ""; return; }
    if (exact && hits.length === 1) { selectNode(hits[0][0]); return; }
    showHits(hits, (id) => { $("search").value = labelOf(id); selectNode(id); });
    $("search-status").textContent = matchCount(hits, exact);
    $("hits").querySelector("button").focus();
  }

  // A Path field's text to one node: a CURIE, or a name that only one node has exactly. Else the
  // panel lists the candidates with category, CURIE and why; choosing one writes its CURIE.
  function resolveField(field) {
    const text = $(field).value;
    const { hits, exact } = search(text);
    if (exact && hits.length === 1) return hits[0][0];
    const end = field === "path-from" ? "from" : "to";
    const body = openPanel("path", "Path");
    if (!text.trim()) body.append(el("p", "Choose two nodes: type their labels or CURIEs, or use a node's 'Path from here' and 'Path to here'."));
    else if (!hits.length) body.append(el("p", `No match for "${text.trim()}" in "${end}". Type a label, a synonym or a CURIE (exo:…).`));
    else {
      body.append(el("p", `"${text.trim()}" in "${end}" ${exact ? "names" : "is not an exact name; it is close to"} ${plural(hits.length, "node")}; choose one:`));
      list(body, null, hits.slice(0, LISTED).map(([id, why]) => {
        const line = el("span");
        line.append(button(labelOf(id), () => { $(field).value = id; findPaths(); }, "link"), el("span", ` ${describe(id, why)}`, "support"));
        return line;
      }));
    }
    return null;
  }

  // ------------------------------------------------------------ selection
  function say(text) { $("status").textContent = text; }

  // Showing what the filters hide clears them, and says so.
  function reveal(shown, text) {
    if (shown) return;
    resetFilters();
    applyFilters();
    say(`The filters hid ${text}, so they were cleared.`);
  }

  function selectNode(id) {
    reveal(state.shownNodes.has(id), labelOf(id));
    state.selection = { kind: "node", id };
    network.selectNodes([id]);
    showNode(id);
    show([id], Math.max(network.getScale(), large ? 1.0 : 1.2));
  }

  function selectClaim(id) {
    reveal(state.shownEdges.has(id), "this claim");
    state.selection = { kind: "claim", id };
    network.setSelection({ nodes: [], edges: groupClaims(id) }, { unselectAll: true });
    showClaim(id);
  }

  // ------------------------------------------------------------ panels
  let opener = null;
  function openPanel(kind, title, refresh = false) { // refresh: the same panel again, the focus stays where it is
    const body = $("panel-body");
    const heading = el("h2", title);
    heading.id = "panel-title";
    heading.tabIndex = -1;
    body.replaceChildren(heading);
    $("panel").dataset.kind = kind;
    if ($("panel").hidden) opener = document.activeElement;
    $("panel").hidden = false;
    if (!refresh) heading.focus({ preventScroll: true });
    return body;
  }

  function closePanel() {
    $("panel").hidden = true;
    state.selection = null;
    saveHash();
    if (opener && opener.focus && document.contains(opener)) opener.focus(); else $("search").focus();
  }

  function list(body, heading, items, tag = "ul") {
    if (!items.length) return;
    if (heading) body.append(el("h3", heading));
    const element = el(tag);
    items.forEach((item) => {
      const entry = el("li");
      entry.append(item);
      element.append(entry);
    });
    body.append(element);
  }

  // The node's claims that the filters (and a focus or path) show, by predicate; how many they hide.
  function showNode(id, refresh = false) {
    const info = nodeInfo[id];
    const body = openPanel("node", info.label, refresh);
    const category = el("p", null, "category");
    category.append(glyph(info.category), el("span", ` ${info.category}`));
    body.append(category, el("code", id));
    if (info.definition) body.append(el("p", info.definition));
    if (info.synonyms.length) body.append(el("p", `Synonyms: ${info.synonyms.join("; ")}`));
    list(body, "Identifiers", info.links.map(link));
    list(body, "Broader", info.broader.map((term) => (nodeInfo[term.id] ? nodeButton(term.id) : el("span", term.label))));
    const actions = el("div", null, "actions");
    actions.append(
      button("Focus neighbourhood", () => focusOn(id)),
      button("Path from here", () => { $("path-from").value = id; say(`Path from ${info.label} (${id}): now choose where to.`); }),
      button("Path to here", () => { $("path-to").value = id; findPaths(); }),
    );
    body.append(actions);
    const claims = incident.get(id);
    const shown = claims.filter(isVisible);
    const byPredicate = new Map();
    new Set(shown.map((claim) => groupOf.get(claim))).forEach((group) => {
      const first = data.groups[group].find(isVisible);
      const predicate = edgeInfo[first].predicate;
      if (!byPredicate.has(predicate)) byPredicate.set(predicate, []);
      byPredicate.get(predicate).push(groupLine(first));
    });
    const statements = [...byPredicate.values()].reduce((sum, lines) => sum + lines.length, 0);
    body.append(el("h3", `Claims (${plural(shown.length, "claim")} on ${plural(statements, "statement")})`));
    if (shown.length < claims.length) {
      const note = el("p", `${plural(claims.length - shown.length, "claim")} of this node ${claims.length - shown.length === 1 ? "is" : "are"} hidden by the filters. `, "support");
      note.append(button("Show everything", () => { resetFilters(); applyFilters(); selectNode(id); }, "link"));
      body.append(note);
    }
    [...byPredicate.keys()].sort((a, b) => a.localeCompare(b)).forEach((predicate) => {
      const lines = byPredicate.get(predicate);
      list(body, null, lines);
      body.lastChild.before(el("h4", `${predicate} (${lines.length})`));
    });
    if (!refresh) saveHash();
  }

  function claimCard(id, heading) {
    const info = edgeInfo[id];
    const card = el("div", null, "claim");
    if (heading) card.append(el("h4", heading));
    if (info.paraphrase) card.append(el("blockquote", info.paraphrase));
    const fields = el("dl");
    const field = (name, value) => { const dd = el("dd"); dd.append(value); fields.append(el("dt", name), dd); };
    data.facets.filter((facet) => !SHOWN_ELSEWHERE.has(facet.name) && info.facets[facet.name])
      .forEach((facet) => field(facet.heading, info.facets[facet.name].join("; ")));
    info.qualifiers.forEach(([name, value]) => field(name, value));
    if (info.evidence) field("Evidence", link(info.evidence));
    info.sources.forEach((curie, index) => field(index ? "" : (info.sources.length > 1 ? "Publications" : "Publication"), sourceLinks(curie)));
    card.append(fields, el("code", id));
    return card;
  }

  function showClaim(id) {
    const edge = edgeById.get(id);
    const info = edgeInfo[id];
    const claims = groupClaims(id);
    const body = openPanel("claim", info.predicate);
    const statement = el("p");
    statement.append(nodeButton(edge.from), el("span", ` ${info.predicate} `, "predicate"), nodeButton(edge.to));
    body.append(statement);
    const summary = el("p", `${plural(claims.length, "claim")} · ${sourcesOf(claims)}`);
    if (info.conflict) summary.append(badge("⚠ conflicting evidence", "conflict"));
    body.append(summary);
    if (info.conflict) showConflict(body, edge);
    claims.forEach((claim, index) => body.append(claimCard(claim, claims.length > 1 ? `Claim ${index + 1}` : null)));
    saveHash();
  }

  // Opposite-polarity claims on the same subject and object, their contexts side by side.
  function showConflict(body, edge) {
    body.append(el("h3", "Conflicting evidence on this pair"));
    const sides = el("div", null, "sides");
    ["positive", "negative"].forEach((polarity) => {
      const column = el("div");
      const claims = incident.get(edge.from).filter((id) => edgeById.get(id).from === edge.from && edgeById.get(id).to === edge.to
        && edgeInfo[id].polarity === polarity);
      column.append(el("h4", `${polarity === "positive" ? "▲" : "▼"} ${claims.length ? edgeInfo[claims[0]].predicate : polarity} (${plural(claims.length, "claim")})`));
      claims.forEach((id) => {
        const info = edgeInfo[id];
        const card = el("div", null, "claim");
        const context = CONTEXT.filter((name) => info.facets[name]).map((name) => info.facets[name].join("; ")).join(" · ");
        card.append(el("div", context || "no context recorded"));
        info.sources.forEach((curie) => card.append(el("div", citationOf(curie))));
        if (info.paraphrase) card.append(el("blockquote", info.paraphrase));
        column.append(card);
      });
      sides.append(column);
    });
    body.append(sides);
  }

  // ------------------------------------------------------------ the claims table
  // Columns: the table's readable ones, and (downloads only) the identifiers and context one a column each.
  const facet = (name) => (id) => (edgeInfo[id].facets[name] || []).join("; ");
  const ofSources = (field) => (id) => edgeInfo[id].sources.map((curie) => (data.publications[curie] || {})[field]).filter(Boolean).join("; ");
  const COLUMNS = [
    ["Subject", (id) => labelOf(edgeById.get(id).from)],
    ["Subject CURIE", (id) => edgeById.get(id).from, "export"],
    ["Predicate", (id) => edgeInfo[id].predicate],
    ["Predicate CURIE", (id) => edgeInfo[id].predicate_curie || "", "export"],
    ["Object", (id) => labelOf(edgeById.get(id).to)],
    ["Object CURIE", (id) => edgeById.get(id).to, "export"],
    ["Publications", (id) => edgeInfo[id].sources.map(citationOf).join("; ")],
    ["PMIDs", ofSources("pmid"), "export"],
    ["DOIs", ofSources("doi"), "export"],
    ["Evidence", facet("evidence")],
    ["ECO code", (id) => edgeInfo[id].evidence_code || "", "export"],
    ["Paraphrase", (id) => edgeInfo[id].paraphrase || "", "export"],
    ["Context", (id) => CONTEXT.filter((name) => edgeInfo[id].facets[name]).map((name) => edgeInfo[id].facets[name].join("; ")).join(" · "), "screen"],
    ...CONTEXT.map((name) => [data.facets.find((entry) => entry.name === name).heading, facet(name), "export"]),
    ["Qualifiers", (id) => edgeInfo[id].qualifiers.map(([name, value]) => `${name}: ${value}`).join("; ")],
    ["Polarity", facet("polarity"), "export"],
    ["Conflict", (id) => (edgeInfo[id].conflict ? "conflicting" : "")],
    ["Claim", (id) => id],
  ];
  const SCREEN = COLUMNS.filter(([, , where]) => where !== "export");
  const EXPORT = COLUMNS.filter(([, , where]) => where !== "screen");
  const TABLE_ROWS = 1000;
  const sorting = { column: 0, ascending: true }; // a column of SCREEN

  // The table's text filter: each word, or "quoted phrase", must occur in the row's readable cells (qualifiers
  // included), compared as the search compares names ("tumor" finds tumour, "IFN gamma" finds IFN-γ).
  const rowText = new Map(); // claim -> its readable cells as normalised words, built when first filtered
  const textOf = (id) => {
    if (!rowText.has(id)) rowText.set(id, ` ${searchWords(SCREEN.map(([, value]) => value(id)).join(" ")).join(" ")} `);
    return rowText.get(id);
  };
  const filterTerms = () => [...$("table-filter").value.matchAll(/"([^"]*)"|(\S+)/g)]
    .map(([, phrase, word]) => searchWords(phrase === undefined ? word : phrase).join(" ")).filter(Boolean);
  const rowPasses = (terms) => (id) => terms.every((term) => textOf(id).includes(term));

  function tableRows(columns = SCREEN) {
    const by = SCREEN[sorting.column][1];
    const direction = sorting.ascending ? 1 : -1;
    return visibleClaims().filter(rowPasses(filterTerms())).map((id) => [id, by(id)])
      .sort((a, b) => direction * a[1].localeCompare(b[1]) || a[0].localeCompare(b[0]))
      .map(([id]) => [id, columns.map(([, value]) => value(id))]);
  }

  function renderTable() {
    const rows = tableRows();
    const text = $("table-filter").value.trim();
    const matching = text ? ` of ${visibleClaims().length} match “${text}”` : "";
    $("table-count").textContent = `${plural(rows.length, "claim")}${matching}`
      + (rows.length > TABLE_ROWS ? ` (first ${TABLE_ROWS} shown; downloads hold all)` : "");
    const head = $("table-head");
    head.replaceChildren(...SCREEN.map(([name], index) => {
      const cell = el("th");
      cell.setAttribute("aria-sort", sorting.column === index ? (sorting.ascending ? "ascending" : "descending") : "none");
      cell.append(button(`${name}${sorting.column === index ? (sorting.ascending ? " ▲" : " ▼") : ""}`, () => {
        sorting.ascending = sorting.column === index ? !sorting.ascending : true;
        sorting.column = index;
        renderTable();
        saveHash();
      }));
      return cell;
    }));
    $("table-body").replaceChildren(...rows.slice(0, TABLE_ROWS).map(([id, cells]) => {
      const row = el("tr");
      row.dataset.claim = id;
      row.append(...cells.map((text) => el("td", text)));
      row.addEventListener("click", () => selectClaim(id));
      return row;
    }));
  }

  function toggleTable(open) {
    $("table-view").hidden = !open;
    $("show-table").setAttribute("aria-expanded", String(open));
    if (open) renderTable();
    saveHash();
  }

  function download(separator, extension) {
    const safe = (text) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text); // no formulas in spreadsheets
    const cell = separator === ","
      ? (text) => (/[",\n\r]/.test(text) ? `"${safe(text).replace(/"/g, '""')}"` : safe(text))
      : (text) => safe(text).replace(/[\t\n\r]+/g, " ");
    const lines = [EXPORT.map(([name]) => name), ...tableRows(EXPORT).map(([, cells]) => cells)].map((cells) => cells.map(cell).join(separator));
    const blob = new Blob([`${lines.join("\r\n")}\r\n`], { type: extension === "csv" ? "text/csv" : "text/tab-separated-values" });
    const anchor = el("a");
    anchor.href = URL.createObjectURL(blob);
    anchor.download = `exograph-claims.${extension}`;
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(anchor.href), 10000);
  }

  // ------------------------------------------------------------ permalink: the view state in the URL hash
  let restoring = true; // until the hash the page was opened with has been applied
  function saveHash() {
    if (restoring) return;
    const params = new URLSearchParams();
    const hidden = [...legend.keys()].filter((category) => !state.categories.has(category));
    if (hidden.length) params.set("hide", hidden.join("|"));
    state.facets.forEach((value, name) => params.set(`f.${name}`, value));
    if (state.focus) { params.set("focus", state.focus.id); params.set("hops", state.focus.hops); }
    if (state.path) {
      params.set("from", state.path.from);
      params.set("to", state.path.to);
      if (state.path.either) params.set("either", "1");
      if (state.path.index) params.set("path", state.path.index);
    }
    if (state.selection && !$("panel").hidden && $("panel").dataset.kind !== "path") params.set(state.selection.kind, state.selection.id);
    if (!$("table-view").hidden) params.set("table", "1");
    if ($("table-filter").value.trim()) params.set("rows", $("table-filter").value.trim());
    if (sorting.column || !sorting.ascending) params.set("sort", `${SCREEN[sorting.column][0]}${sorting.ascending ? "" : ",desc"}`);
    const hash = params.toString();
    try {
      if (location.hash.slice(1) !== hash) history.replaceState(null, "", hash ? `#${hash}` : location.pathname + location.search);
    } catch (error) { /* a sandboxed srcdoc frame may refuse; the view works the same */ }
  }

  function restoreHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    if (![...params.keys()].length) { restoring = false; return; }
    restoring = true;
    try {
      const hidden = new Set((params.get("hide") || "").split("|"));
      setCategories([...legend.keys()].filter((category) => !hidden.has(category)));
      params.forEach((value, name) => { if (name.startsWith("f.")) setFacet(name.slice(2), value); });
      applyFilters();
      if (params.get("focus") && nodeInfo[params.get("focus")]) {
        $("hops").value = params.get("hops") || "1";
        focusOn(params.get("focus"));
      }
      if (params.get("from") && params.get("to") && nodeInfo[params.get("from")] && nodeInfo[params.get("to")]) {
        $("path-from").value = params.get("from");
        $("path-to").value = params.get("to");
        $("path-either").checked = params.get("either") === "1";
        findPaths();
        const index = parseInt(params.get("path"), 10);
        const shows = document.querySelectorAll("#panel .path button.show-path");
        if (index > 0 && shows[index]) shows[index].click();
      } else if (params.get("node") && nodeInfo[params.get("node")]) selectNode(params.get("node"));
      else if (params.get("claim") && edgeInfo[params.get("claim")]) {
        selectClaim(params.get("claim"));
        show([edgeById.get(params.get("claim")).from, edgeById.get(params.get("claim")).to]);
      }
      const [column, order] = (params.get("sort") || "").split(",");
      const sorted = SCREEN.findIndex(([name]) => name === column);
      if (sorted >= 0) Object.assign(sorting, { column: sorted, ascending: order !== "desc" });
      $("table-filter").value = params.get("rows") || "";
      if (params.get("table") === "1") toggleTable(true);
      if (!params.get("focus") && !params.get("from") && !state.selection) refit();
    } finally {
      restoring = false;
    }
    saveHash();
  }

  // ------------------------------------------------------------ wiring
  function ready() {
    network.setOptions({ physics: false }); // stabilised (or laid out in Python): nodes stay put
    network.once("afterDrawing", () => {
      window.exograph.renderedAt = performance.now();
      say("");
      document.body.dataset.state = "ready";
    });
    restoreHash();
    network.redraw();
  }

  installLayers(network);
  buildLegend();
  buildFacets();
  if (dark.addEventListener) dark.addEventListener("change", () => {
    markColours(data.nodes, data.edges);
    nodes.update(data.nodes.map(({ id, color }) => ({ id, color })));
    edges.update(data.edges.map(({ id, color }) => ({ id, color })));
    network.setOptions(theme());
  });
  applyFilters();
  network.on("click", (params) => {
    hideHits();
    if (params.nodes.length) { state.selection = { kind: "node", id: params.nodes[0] }; showNode(params.nodes[0]); }
    else if (params.edges.length) selectClaim(params.edges[0]);
  });
  network.on("hoverEdge", ({ edge, event }) => {
    const claims = groupClaims(edge);
    const tip = $("tip");
    tip.textContent = `${claimText(edge)} · ${sourcesOf(claims)}${edgeInfo[edge].conflict ? " · ⚠ conflicting" : ""}`;
    const pointer = event && event.center ? event.center : (event || {});
    tip.style.left = `${Math.min((pointer.x || 0) + 14, window.innerWidth - 260)}px`;
    tip.style.top = `${(pointer.y || 0) + 14}px`;
    tip.hidden = false;
  });
  network.on("blurEdge", () => { $("tip").hidden = true; });
  network.on("dragStart", () => { $("tip").hidden = true; });
  network.on("stabilizationProgress", (progress) => {
    say(`Laying out ${data.nodes.length} nodes… ${Math.round((100 * progress.iterations) / progress.total)}%`);
  });
  $("search").addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); runSearch(); }
    if (event.key === "ArrowDown" && !$("hits").hidden) { event.preventDefault(); $("hits").querySelector("button").focus(); }
    if (event.key === "Escape" && $("hits").hidden) $("search-status").textContent = "";
  });
  $("hits").addEventListener("keydown", (event) => {
    const items = [...$("hits").querySelectorAll("button")];
    const at = items.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < items.length - 1) { event.preventDefault(); items[at + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? items[at - 1] : $("search")).focus(); }
  });
  $("find").addEventListener("click", runSearch);
  ["path-from", "path-to"].forEach((field) => $(field).addEventListener("keydown", (event) => { if (event.key === "Enter") findPaths(); }));
  $("all-categories").addEventListener("click", () => { setCategories(legend.keys()); applyAndFit(); });
  $("no-categories").addEventListener("click", () => { setCategories([]); applyFilters(); });
  $("reset").addEventListener("click", () => {
    resetFilters();
    network.unselectAll();
    if (!$("panel").hidden) closePanel();
    applyAndFit();
    say("");
  });
  $("focus").addEventListener("click", () => {
    const [id] = network.getSelectedNodes();
    if (id) focusOn(id); else say("Select a node first (click it or search for it), then focus.");
  });
  $("path").addEventListener("click", findPaths);
  $("close").addEventListener("click", closePanel);
  $("show-table").addEventListener("click", () => toggleTable($("table-view").hidden));
  $("close-table").addEventListener("click", () => toggleTable(false));
  let typing = null; // one table per pause in typing, not one per key (a table of 15k claims takes a while)
  $("table-filter").addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => { renderTable(); saveHash(); }, 150);
  });
  $("table-filter").addEventListener("keydown", (event) => { // Esc empties the filter first, then closes the table
    if (event.key !== "Escape" || !$("table-filter").value) return;
    event.preventDefault();
    event.stopPropagation();
    clearTimeout(typing);
    $("table-filter").value = "";
    renderTable();
    saveHash();
  });
  $("download-csv").addEventListener("click", () => download(",", "csv"));
  $("download-tsv").addEventListener("click", () => download("\t", "tsv"));
  $("toggle-controls").addEventListener("click", () => {
    const open = $("controls").classList.toggle("collapsed") === false;
    $("toggle-controls").setAttribute("aria-expanded", String(open));
  });
  if (window.matchMedia && window.matchMedia("(max-width: 720px)").matches) $("controls").classList.add("collapsed");
  document.addEventListener("keydown", (event) => {
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
    if (event.key === "Escape") {
      if (!$("hits").hidden) { hideHits(); $("search").focus(); } else if (!$("panel").hidden) closePanel(); else if (!$("table-view").hidden) toggleTable(false);
    } else if (event.key === "/" && !typing) {
      event.preventDefault();
      $("search").focus();
      $("search").select();
    }
  });
  Object.assign(window.exograph, { search, searchKey, bestPaths, selectNode, selectClaim, faded });
  if (data.options.physics.enabled && data.nodes.length) network.once("stabilizationIterationsDone", ready); else ready();
})();
