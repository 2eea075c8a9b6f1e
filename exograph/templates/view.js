/* exograph view: legend, filters, search, neighbourhood focus, paths and the node / claim panels.
   Every element is built with DOM APIs and textContent; no data is ever parsed as HTML. */
"use strict";
(() => {
  const data = JSON.parse(document.getElementById("exograph-data").textContent);
  const nodeInfo = data.details.nodes;
  const edgeInfo = data.details.edges;
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const network = new vis.Network(document.getElementById("graph"), { nodes, edges }, data.options);
  const edgeById = new Map(data.edges.map((edge) => [edge.id, edge]));
  const incident = new Map(data.nodes.map((node) => [node.id, []]));
  data.edges.forEach((edge) => {
    incident.get(edge.from).push(edge.id);
    if (edge.to !== edge.from) incident.get(edge.to).push(edge.id);
  });
  const legend = new Map(data.legend.map((entry) => [entry.category, entry]));
  const byLabel = new Map(data.nodes.map((node) => [nodeInfo[node.id].label.toLowerCase(), node.id]).reverse()); // first wins
  const SHOWN_ELSEWHERE = new Set(["predicate", "publication"]); // claim panel: in the statement / as links
  const state = { categories: new Set(legend.keys()), facets: new Map(), focus: null, shownNodes: new Set(), shownEdges: new Set() };
  const hiddenFlags = { nodes: new Map(), edges: new Map() };
  const $ = (id) => document.getElementById(id);
  window.exograph = { network, nodes, edges, data, state };

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
    if (entry) element.style.color = entry.color;
    return element;
  }

  const labelOf = (id) => (nodeInfo[id] ? nodeInfo[id].label : id);
  const nodeButton = (id) => button(labelOf(id), () => selectNode(id), "link");
  const claimText = (id) => `${labelOf(edgeById.get(id).from)} — ${edgeInfo[id].predicate} → ${labelOf(edgeById.get(id).to)}`;
  const claimButton = (id) => button(claimText(id), () => selectClaim(id), "link");

  // ------------------------------------------------------------ filters
  const categoryPasses = (id) => state.categories.has(nodeInfo[id].category);

  function facetsPass(id) {
    const facets = edgeInfo[id].facets;
    for (const [name, value] of state.facets) if (!(facets[name] || []).includes(value)) return false;
    return true;
  }

  function sync(dataset, items, shown, flags) {
    const changes = [];
    items.forEach((item) => {
      const hide = !shown.has(item.id);
      if ((flags.get(item.id) || false) !== hide) {
        flags.set(item.id, hide);
        changes.push({ id: item.id, hidden: hide });
      }
    });
    if (changes.length) dataset.update(changes);
  }

  function applyFilters() {
    const nodePasses = (id) => categoryPasses(id) && (!state.focus || state.focus.has(id));
    state.shownEdges = new Set(data.edges.filter((e) => nodePasses(e.from) && nodePasses(e.to) && facetsPass(e.id)).map((e) => e.id));
    const needsClaim = state.facets.size > 0;
    state.shownNodes = new Set(data.nodes.filter((n) => nodePasses(n.id)
      && (!needsClaim || incident.get(n.id).some((e) => state.shownEdges.has(e)))).map((n) => n.id));
    sync(nodes, data.nodes, state.shownNodes, hiddenFlags.nodes);
    sync(edges, data.edges, state.shownEdges, hiddenFlags.edges);
    $("counts").textContent = `${state.shownNodes.size} of ${data.nodes.length} nodes · `
      + `${state.shownEdges.size} of ${data.edges.length} claims`;
  }

  function applyAndFit() {
    applyFilters();
    if (state.shownNodes.size) network.fit({ nodes: [...state.shownNodes], animation: { duration: 400 } });
  }

  function setCategories(categories) {
    state.categories = new Set(categories);
    document.querySelectorAll("#legend input").forEach((box) => { box.checked = state.categories.has(box.value); });
  }

  function resetFilters() { // the caller applies them
    state.facets.clear();
    state.focus = null;
    document.querySelectorAll("#facets select").forEach((select) => { select.value = ""; });
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
      select.addEventListener("change", () => {
        if (select.value) state.facets.set(facet.name, select.value); else state.facets.delete(facet.name);
        applyAndFit();
      });
      const label = el("label", facet.heading);
      label.append(select);
      $("facets").append(label);
    });
  }

  // ------------------------------------------------------------ graph walks
  // Breadth first over claims in either direction; maps each reached node to [previous node, claim].
  function walk(start, usable, maxDepth, goal) {
    const reached = new Map([[start, null]]);
    let frontier = [start];
    for (let depth = 0; depth < maxDepth && frontier.length && !reached.has(goal); depth += 1) {
      const next = [];
      frontier.forEach((node) => incident.get(node).forEach((id) => {
        const edge = edgeById.get(id);
        const other = edge.from === node ? edge.to : edge.from;
        if (usable(id) && !reached.has(other)) {
          reached.set(other, [node, id]);
          next.push(other);
        }
      }));
      frontier = next;
    }
    return reached;
  }

  function focusOn(id) {
    const hops = Math.max(1, parseInt($("hops").value, 10) || 1);
    const usable = (e) => facetsPass(e) && categoryPasses(edgeById.get(e).from) && categoryPasses(edgeById.get(e).to);
    state.focus = new Set(walk(id, usable, hops).keys());
    applyAndFit();
  }

  function findPath() {
    const start = findNode($("path-from").value);
    const goal = findNode($("path-to").value);
    const body = openPanel("path", start && goal ? `${labelOf(start)} → ${labelOf(goal)}` : "Path");
    if (!start || !goal) {
      body.append(el("p", "Choose two nodes: type their labels, or use a node's 'Path from here' and 'Path to here'."));
      return;
    }
    const reached = walk(start, (e) => state.shownEdges.has(e), Infinity, goal);
    if (!reached.has(goal)) {
      body.append(el("p", "No path between them among the claims shown."));
      return;
    }
    const pathNodes = [goal];
    const claims = [];
    for (let step = reached.get(goal); step; step = reached.get(step[0])) {
      pathNodes.unshift(step[0]);
      claims.unshift(step[1]);
    }
    network.setSelection({ nodes: pathNodes, edges: claims }, { unselectAll: true, highlightEdges: false });
    network.fit({ nodes: pathNodes, animation: { duration: 400 } });
    body.append(el("p", `${claims.length} claim(s), shortest in either direction:`));
    list(body, null, claims.map(claimButton), "ol");
  }

  // ------------------------------------------------------------ search and selection
  function findNode(text) {
    const key = text.trim().toLowerCase();
    if (!key) return null;
    if (byLabel.has(key)) return byLabel.get(key);
    if (nodeInfo[text.trim()]) return text.trim();
    const hit = data.nodes.find((node) => nodeInfo[node.id].label.toLowerCase().includes(key)
      || nodeInfo[node.id].synonyms.some((synonym) => synonym.toLowerCase().includes(key)));
    return hit ? hit.id : null;
  }

  function selectNode(id) {
    if (!state.shownNodes.has(id)) {
      resetFilters();
      applyFilters();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 400 } });
    showNode(id);
  }

  function selectClaim(id) {
    if (!state.shownEdges.has(id)) {
      resetFilters();
      applyFilters();
    }
    network.setSelection({ nodes: [], edges: [id] }, { unselectAll: true });
    showClaim(id);
  }

  function search(event) {
    event.preventDefault();
    const id = findNode($("search").value);
    $("search-status").textContent = id ? "" : "no match";
    if (id) selectNode(id);
  }

  // ------------------------------------------------------------ panels
  function openPanel(kind, title) {
    const body = $("panel-body");
    body.replaceChildren(el("h2", title));
    $("panel").dataset.kind = kind;
    $("panel").hidden = false;
    return body;
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

  function showNode(id) {
    const info = nodeInfo[id];
    const body = openPanel("node", info.label);
    const category = el("p", null, "category");
    category.append(glyph(info.category), el("span", info.category));
    body.append(category, el("code", id));
    if (info.definition) body.append(el("p", info.definition));
    if (info.synonyms.length) body.append(el("p", `Synonyms: ${info.synonyms.join("; ")}`));
    list(body, "Identifiers", info.links.map(link));
    list(body, "Broader", info.broader.map((term) => (nodeInfo[term.id] ? nodeButton(term.id) : el("span", term.label))));
    const actions = el("div", null, "actions");
    actions.append(
      button("Focus neighbourhood", () => focusOn(id)),
      button("Path from here", () => { $("path-from").value = info.label; }),
      button("Path to here", () => { $("path-to").value = info.label; findPath(); }),
    );
    body.append(actions);
    list(body, `Claims (${incident.get(id).length})`, incident.get(id).map(claimButton));
  }

  function showClaim(id) {
    const edge = edgeById.get(id);
    const info = edgeInfo[id];
    const body = openPanel("claim", info.predicate);
    const statement = el("p");
    statement.append(nodeButton(edge.from), el("span", ` ${info.predicate} `, "predicate"), nodeButton(edge.to));
    body.append(statement, el("code", id));
    if (info.paraphrase) body.append(el("blockquote", info.paraphrase));
    const fields = el("dl");
    data.facets.filter((facet) => !SHOWN_ELSEWHERE.has(facet.name) && info.facets[facet.name]).forEach((facet) => {
      fields.append(el("dt", facet.heading), el("dd", info.facets[facet.name].join("; ")));
    });
    if (info.evidence) {
      const code = el("dd");
      code.append(link(info.evidence));
      fields.append(el("dt", "Evidence code"), code);
    }
    body.append(fields);
    list(body, "Publications", info.sources.map(link));
  }

  // ------------------------------------------------------------ wiring
  function ready() {
    network.setOptions({ physics: false }); // stabilised (or laid out in Python): nodes stay put
    network.once("afterDrawing", () => {
      window.exograph.renderedAt = performance.now();
      $("status").textContent = "";
      document.body.dataset.state = "ready";
    });
    network.redraw();
  }

  buildLegend();
  buildFacets();
  const labels = $("labels");
  data.nodes.forEach((node) => {
    const option = el("option");
    option.value = nodeInfo[node.id].label;
    labels.append(option);
  });
  applyFilters();
  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showClaim(params.edges[0]);
  });
  network.on("stabilizationProgress", (progress) => {
    $("status").textContent = `Laying out ${data.nodes.length} nodes… ${Math.round((100 * progress.iterations) / progress.total)}%`;
  });
  $("search-form").addEventListener("submit", search);
  $("search").addEventListener("input", () => { // a label picked from the list
    const id = byLabel.get($("search").value.toLowerCase());
    if (id) selectNode(id);
  });
  $("all-categories").addEventListener("click", () => { setCategories(legend.keys()); applyAndFit(); });
  $("no-categories").addEventListener("click", () => { setCategories([]); applyFilters(); });
  $("reset").addEventListener("click", () => { resetFilters(); applyAndFit(); });
  $("focus").addEventListener("click", () => { const [id] = network.getSelectedNodes(); if (id) focusOn(id); });
  $("path").addEventListener("click", findPath);
  $("close").addEventListener("click", () => { $("panel").hidden = true; });
  if (data.options.physics.enabled && data.nodes.length) network.once("stabilizationIterationsDone", ready); else ready();
})();
