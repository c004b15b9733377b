// Berth's web page. Everything it shows comes from /ui/api/ as JSON and is put into the page as text (textContent,
// never innerHTML), so a label holding markup stays text. Links are built from the page's own routes only.
// Routes live in the hash (#/r/<name>), so the server serves one document.

const root = document.documentElement.dataset.root; // "/ui/" under http.prefix
const main = document.getElementById("main");
const statusLine = document.getElementById("status");
const authKey = "berth.authorization";
const pageSize = 100;
const tagsPerRow = 12;

let session = { user: null, auth: "none", deleteEnabled: false };

// ---- small helpers -------------------------------------------------------------------------------------------

/** Makes an element: attributes (on*-handlers as functions), then children (strings become text nodes). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A link to one of the page's own routes; never to a URL taken from data. */
function route(path, ...children) {
  return h("a", { href: "#" + path }, ...children);
}


function bytes(value) {
  if (value === null || value === undefined) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let size = value;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit++;
  }
  return (unit === 0 ? size : size.toFixed(size < 10 ? 1 : 0)) + " " + units[unit];
}

function time(iso) {
  if (!iso) return h("span", {}, "—");
  const when = new Date(iso);
  const seconds = Math.round((Date.now() - when.getTime()) / 1000);
  const steps = [[60, "second"], [60, "minute"], [24, "hour"], [30, "day"], [12, "month"], [Infinity, "year"]];
  let amount = seconds;
  let text = "just now";
  for (const [size, name] of steps) {
    if (Math.abs(amount) < size) {
      text = amount <= 0 ? "just now" : `${amount} ${name}${amount === 1 ? "" : "s"} ago`;
      break;
    }
    amount = Math.round(amount / size);
  }
  return h("time", { datetime: iso, title: when.toISOString() }, text);
}

// ---- version-aware order: 1.10 after 1.9 --------------------------------------------------------------------

/** A name cut into runs of digits and of other characters, kept: a list of 10,000 is sorted without re-cutting. */
const naturalKeys = new Map();

function naturalKey(text) {
  let key = naturalKeys.get(text);
  if (key === undefined) {
    if (naturalKeys.size > 200000) naturalKeys.clear();
    key = (text.toLowerCase().match(/\d+|\D+/g) ?? []).map((run) => (run.charCodeAt(0) <= 57 && run.charCodeAt(0) >= 48 ? Number(run) : run));
    naturalKeys.set(text, key);
  }
  return key;
}

/** Digits compare as numbers, the rest as text; a number sorts before text at the same place. */
function naturalCompare(a, b) {
  const x = naturalKey(a);
  const y = naturalKey(b);
  for (let i = 0; i < x.length && i < y.length; i++) {
    if (x[i] === y[i]) continue;
    const xNumber = typeof x[i] === "number";
    if (xNumber !== (typeof y[i] === "number")) return xNumber ? -1 : 1;
    return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
}

const plural = (count, noun) => `${count.toLocaleString()} ${noun}${count === 1 ? "" : "s"}`;

const shortDigest = (digest) => digest.replace(/^(sha256:|sha512:)?(.{12}).*$/, "$1$2");

function setStatus(text) {
  statusLine.textContent = text || "";
  statusLine.hidden = !text;
}

// ---- the API ---------------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, method = "GET") {
  const headers = { Accept: "application/json" };
  const authorization = sessionStorage.getItem(authKey);
  if (authorization) headers.Authorization = authorization;
  if (method !== "GET") headers["X-Berth-Ui"] = "1";
  const response = await fetch(root + "api/" + path, { method, headers, cache: "no-store", credentials: "omit" });
  if (response.ok) return response.status === 202 || response.status === 204 ? null : response.json();
  let message = response.statusText;
  try {
    const body = await response.json();
    message = body.errors?.map((e) => e.message + (e.detail ? ": " + e.detail : "")).join("; ") || message;
  } catch {
    // not an OCI error body
  }
  throw new ApiError(response.status, message);
}

// ---- account: login and logout -----------------------------------------------------------------------------

function base64(text) {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

async function loadSession() {
  try {
    session = await api("session");
  } catch (error) {
    if (error.status === 401) {
      // Stored credentials stopped working (changed password): forget them and go on as anonymous.
      sessionStorage.removeItem(authKey);
      session = await api("session");
    } else {
      throw error;
    }
  }
  renderAccount();
}

function renderAccount() {
  const account = document.getElementById("account");
  account.replaceChildren();
  if (session.user) {
    account.append(
      h("span", { class: "user" }, "Logged in as ", h("strong", { id: "user" }, session.user)),
      h("button", { type: "button", onclick: logOut }, "Log out"),
    );
  } else if (session.auth === "htpasswd") {
    account.append(h("button", { type: "button", class: "primary", onclick: openLogin }, "Log in"));
  } else if (session.auth === "token") {
    account.append(h("span", { id: "auth-note", class: "note" },
      "This registry uses token authentication: the page shows what anonymous visitors may pull. " +
      `Log in with your client (docker login ${location.host}) to pull and push the rest.`));
  }
}

function openLogin() {
  const dialog = document.getElementById("login");
  document.getElementById("login-error").hidden = true;
  document.getElementById("login-form").reset();
  dialog.showModal();
}

async function logIn(event) {
  event.preventDefault();
  const form = event.target;
  const authorization = "Basic " + base64(form.user.value + ":" + form.password.value);
  const previous = sessionStorage.getItem(authKey);
  sessionStorage.setItem(authKey, authorization);
  try {
    session = await api("session");
    document.getElementById("login").close();
    renderAccount();
    render();
  } catch (error) {
    if (previous) sessionStorage.setItem(authKey, previous);
    else sessionStorage.removeItem(authKey);
    const message = document.getElementById("login-error");
    message.textContent = error.status === 401 ? "Wrong user name or password." : error.message;
    message.hidden = false;
  }
}

async function logOut() {
  sessionStorage.removeItem(authKey);
  await loadSession();
  render();
}

// ---- confirmation --------------------------------------------------------------------------------------------

function confirmDelete(message) {
  const dialog = document.getElementById("confirm");
  document.getElementById("confirm-message").textContent = message;
  return new Promise((resolve) => {
    const finish = (answer) => () => {
      dialog.close();
      resolve(answer);
    };
    const yes = finish(true);
    const no = finish(false);
    document.getElementById("confirm-delete").onclick = yes;
    document.getElementById("confirm-cancel").onclick = no;
    dialog.oncancel = no;
    dialog.showModal();
  });
}

async function remove(path, message) {
  if (!(await confirmDelete(message))) return false;
  try {
    await api(path, "DELETE");
    return true;
  } catch (error) {
    setStatus("Could not delete: " + error.message);
    return false;
  }
}

// ---- sortable, filterable tables ---------------------------------------------------------------------------

/** A header cell whose button sorts the table; aria-sort says how it is sorted now. */
function sortHeader(label, key, state, onSort) {
  const active = state.key === key;
  return h("th", { scope: "col", "aria-sort": active ? (state.descending ? "descending" : "ascending") : "none" },
    h("button", { type: "button", class: "sort", onclick: () => onSort(key) }, label, active ? (state.descending ? " ▼" : " ▲") : ""));
}

function nextSort(state, key, descendingFirst) {
  return state.key === key ? { key, descending: !state.descending } : { key, descending: descendingFirst };
}

function searchBox(label, value, onInput) {
  return h("label", { class: "search" }, h("span", { class: "visually-hidden" }, label),
    h("input", { type: "search", placeholder: label + "…", "aria-label": label, value, oninput: (event) => onInput(event.target.value) }));
}

function moreButton(shown, total, onMore) {
  return shown < total ? h("button", { type: "button", class: "more", onclick: onMore }, `Show more (${total - shown} left)`) : null;
}

// ---- overview --------------------------------------------------------------------------------------------------

async function overview(view) {
  const data = await api("overview");
  view.title = "Berth";
  const figure = (id, label, value, hint) =>
    h("div", { class: "figure" }, h("span", { class: "label" }, label), h("strong", { id }, value), hint ? h("small", {}, hint) : null);
  const computed = data.usageComputedAt ? ["counted ", time(data.usageComputedAt)] : "not counted yet";
  return [
    h("h1", {}, "Overview"),
    h("div", { class: "figures" },
      figure("total-repositories", "Repositories", data.repositories.toLocaleString()),
      figure("total-tags", "Tags", data.tags.toLocaleString()),
      figure("total-storage", "Storage used", bytes(data.bytesInUse), computed)),
    h("section", {}, h("h2", {}, "Recent pushes"),
      data.recent.length === 0
        ? (session.auth === "htpasswd" && !session.user
          ? h("p", {}, "Log in to see the repositories you may pull.")
          : h("p", {}, "Nothing to show yet. Push with ", h("code", {}, `docker push ${location.host}/team/app:1.0`), "."))
        : h("ol", { id: "recent", class: "plain" }, data.recent.map((repository) =>
          h("li", {}, route("/r/" + repository.name, repository.name), " ", h("span", { class: "muted" },
            `${repository.tags} tag${repository.tags === 1 ? "" : "s"}, `, time(repository.lastPush)))))),
  ];
}

// ---- repositories ---------------------------------------------------------------------------------------------

const repositoriesState = { filter: "", sort: { key: "name", descending: false }, shown: pageSize, collapsed: new Set() };

async function repositories(view) {
  const data = await api("repositories");
  view.title = "Repositories · Berth";
  const container = h("div");
  const draw = () => container.replaceChildren(...repositoryTable(data.repositories, draw).filter(Boolean));
  const search = searchBox("Filter repositories", repositoriesState.filter, (value) => {
    repositoriesState.filter = value;
    repositoriesState.shown = pageSize;
    draw();
  });
  draw();
  return [h("h1", {}, "Repositories"), h("div", { class: "toolbar" }, search), container,
    data.usageComputedAt ? null : h("p", { class: "muted" }, "Storage used is counted in the background; it shows once counted.")];
}

/** Namespaces as a tree: team/app and team/web under team/, each namespace a row that folds its repositories. */
function repositoryTree(list) {
  const top = { children: new Map(), repositories: [] };
  for (const repository of list) {
    const parts = repository.name.split("/");
    let node = top;
    for (let i = 0; i < parts.length - 1; i++) {
      const path = parts.slice(0, i + 1).join("/");
      if (!node.children.has(path)) node.children.set(path, { path, children: new Map(), repositories: [] });
      node = node.children.get(path);
    }
    node.repositories.push(repository);
  }
  return top;
}

function sortValue(item, key) {
  switch (key) {
    case "tags": return item.tags;
    case "lastPush": return item.lastPush ? Date.parse(item.lastPush) : 0;
    case "storage": return item.bytes ?? -1;
    default: return item.name;
  }
}

function compareBy(key, descending) {
  return (a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    const order = typeof x === "string" ? naturalCompare(x, y) : x - y || naturalCompare(a.name, b.name);
    return descending ? -order : order;
  };
}

/** A namespace's figures for sorting and showing: the sum of tags and storage, the latest push. */
function summarise(node) {
  let tags = 0, bytes = 0, lastPush = null, count = 0;
  for (const child of node.children.values()) {
    const sum = summarise(child);
    tags += sum.tags; bytes += sum.bytes ?? 0; count += sum.count;
    if (sum.lastPush && (!lastPush || sum.lastPush > lastPush)) lastPush = sum.lastPush;
  }
  for (const repository of node.repositories) {
    tags += repository.tags; bytes += repository.bytes ?? 0; count++;
    if (repository.lastPush && (!lastPush || repository.lastPush > lastPush)) lastPush = repository.lastPush;
  }
  node.name = node.path; node.tags = tags; node.bytes = bytes; node.lastPush = lastPush; node.count = count;
  return node;
}

function repositoryTable(all, draw) {
  const state = repositoriesState;
  const needle = state.filter.trim().toLowerCase();
  const matching = needle ? all.filter((repository) => repository.name.toLowerCase().includes(needle)) : all;
  const tree = summarise(repositoryTree(matching));
  const compare = compareBy(state.sort.key, state.sort.descending);
  // Which rows show, in order, before any element is made: only the first page of them is built.
  const lines = [];
  const walk = (node, depth) => {
    for (const item of [...node.children.values(), ...node.repositories].sort(compare)) {
      const open = item.children && (needle !== "" || !state.collapsed.has(item.path));
      lines.push({ item, depth, open });
      if (open) walk(item, depth + 1);
    }
  };
  walk(tree, 0);
  const toggle = (path) => () => {
    if (state.collapsed.has(path)) state.collapsed.delete(path);
    else state.collapsed.add(path);
    draw();
  };
  const figures = (item) => [h("td", { class: "tags" }, item.tags.toLocaleString()), h("td", { class: "last-push" }, time(item.lastPush)),
    h("td", { class: "storage" }, bytes(item.bytes))];
  const rows = lines.slice(0, state.shown).map(({ item, depth, open }) => item.children
    ? h("tr", { class: "namespace", "data-namespace": item.path },
      h("th", { scope: "row", class: "depth-" + Math.min(depth, 6) },
        h("button", { type: "button", class: "fold", "aria-expanded": String(open), onclick: toggle(item.path) },
          item.path + "/", h("span", { class: "muted" }, ` ${item.count} repositor${item.count === 1 ? "y" : "ies"}`))),
      ...figures(item))
    : h("tr", { "data-repository": item.name },
      h("th", { scope: "row", class: "depth-" + Math.min(depth, 6) }, route("/r/" + item.name, item.name)), ...figures(item)));
  const sort = (key) => {
    state.sort = nextSort(state.sort, key, key !== "name");
    draw();
  };
  return [
    h("p", { id: "repository-count", class: "muted" }, `${matching.length.toLocaleString()} of ${all.length.toLocaleString()} repositories`),
    h("table", { id: "repositories" },
      h("thead", {}, h("tr", {}, sortHeader("Name", "name", state.sort, sort), sortHeader("Tags", "tags", state.sort, sort),
        sortHeader("Last push", "lastPush", state.sort, sort), sortHeader("Storage used", "storage", state.sort, sort))),
      h("tbody", {}, rows)),
    moreButton(rows.length, lines.length, () => {
      state.shown += pageSize;
      draw();
    }),
  ];
}

// ---- one repository --------------------------------------------------------------------------------------------

const tagsState = { name: null, filter: "", sort: { key: "tag", descending: true }, shown: pageSize };

async function repository(name, view) {
  const data = await api("repository?name=" + encodeURIComponent(name));
  if (tagsState.name !== name) Object.assign(tagsState, { name, filter: "", shown: pageSize, sort: { key: "tag", descending: true } });
  view.title = name + " · Berth";
  // Tags of one digest are one image with several tags.
  for (const image of data.images) image.tags = [];
  for (const [tag, position] of data.tags) data.images[position].tags.push(tag);
  const images = data.images.filter((image) => image.tags.length > 0);
  const container = h("div");
  const draw = () => container.replaceChildren(...imageTable(name, images, data, draw).filter(Boolean));
  const search = searchBox("Filter tags", tagsState.filter, (value) => {
    tagsState.filter = value;
    tagsState.shown = pageSize;
    draw();
  });
  draw();
  return [h("p", { class: "crumbs" }, route("/repositories", "Repositories"), " / "), h("h1", {}, name),
    h("p", { class: "muted" }, `${plural(data.tags.length, "tag")}, ${plural(images.length, "image")}`),
    h("div", { class: "toolbar" }, search), container];
}

function imageTable(name, images, data, draw) {
  const state = tagsState;
  const needle = state.filter.trim().toLowerCase();
  const matching = needle
    ? images.filter((image) => image.digest.includes(needle) || image.tags.some((tag) => tag.toLowerCase().includes(needle)))
    : images;
  const key = {
    tag: (image) => image.tags[0],
    created: (image) => image.created ?? "",
    size: (image) => image.size ?? 0,
  }[state.sort.key];
  // The server sends the images newest tag first, the default order: 10,000 need no sorting then.
  const sorted = state.sort.key === "tag" && state.sort.descending ? matching : [...matching].sort((a, b) => {
    const x = key(a), y = key(b);
    const order = typeof x === "number" ? x - y : naturalCompare(x, y);
    return state.sort.descending ? -order : order;
  });
  const shown = sorted.slice(0, state.shown);
  const refresh = () => render();
  const rows = shown.map((image) => h("tr", { "data-digest": image.digest },
    h("td", { class: "tags" }, visibleTags(image, needle, draw).map((tag) => typeof tag !== "string" ? tag : h("span", { class: "tag" },
      route(`/i/${name}:${tag}`, tag),
      data.canDelete ? h("button", { type: "button", class: "icon", "aria-label": `Delete tag ${tag}`, title: `Delete tag ${tag}`, onclick: async () => {
        if (await remove(`tag?name=${encodeURIComponent(name)}&tag=${encodeURIComponent(tag)}`,
          `Delete the tag ${name}:${tag}? Only this tag goes; the image stays while other tags or digests name it.`)) refresh();
      } }, "×") : null))),
    h("td", { class: "digest" }, route(`/i/${name}@${image.digest}`, h("code", {}, shortDigest(image.digest)))),
    h("td", { class: "kind" }, kindOf(image)),
    h("td", { class: "platforms" }, (image.platforms ?? []).join(", ") || "—"),
    h("td", { class: "size" }, bytes(image.size)),
    h("td", { class: "created" }, time(image.created)),
    data.canDelete ? h("td", {}, h("button", { type: "button", class: "danger small", "aria-label": `Delete image ${shortDigest(image.digest)}`,
      onclick: async () => {
        if (await remove(`image?name=${encodeURIComponent(name)}&digest=${encodeURIComponent(image.digest)}`,
          `Delete the image ${shortDigest(image.digest)} from ${name}? Its ${image.tags.length === 1 ? "tag goes" : "tags go"} with it: ` +
          image.tags.join(", ") + ".")) refresh();
      } }, "Delete")) : null));
  const sort = (sortKey) => {
    state.sort = nextSort(state.sort, sortKey, true);
    draw();
  };
  return [
    h("p", { id: "image-count", class: "muted" }, `${matching.length.toLocaleString()} of ${images.length.toLocaleString()} images`),
    h("table", { id: "images" },
      h("thead", {}, h("tr", {}, sortHeader("Tag", "tag", state.sort, sort), h("th", { scope: "col" }, "Digest"), h("th", { scope: "col" }, "Kind"),
        h("th", { scope: "col" }, "Platforms"), sortHeader("Size", "size", state.sort, sort), sortHeader("Created", "created", state.sort, sort),
        data.canDelete ? h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")) : null)),
      h("tbody", {}, rows)),
    moreButton(shown.length, sorted.length, () => {
      state.shown += pageSize;
      draw();
    }),
  ];
}

/** The tags a row shows: those matching the filter, and at most a handful until the row is opened. */
function visibleTags(image, needle, draw) {
  const matching = needle ? image.tags.filter((tag) => tag.toLowerCase().includes(needle)) : image.tags;
  const list = matching.length ? matching : image.tags;
  if (image.open || list.length <= tagsPerRow) return list;
  return [...list.slice(0, tagsPerRow), h("button", { type: "button", class: "small", "aria-expanded": "false", onclick: () => {
    image.open = true;
    draw();
  } }, `${(list.length - tagsPerRow).toLocaleString()} more tags`)];
}

// ---- kinds of artifacts ------------------------------------------------------------------------------------

const artifactKinds = [
  [/^application\/vnd\.cncf\.helm\.config/, "Helm chart"],
  [/^application\/vnd\.wasm|^application\/wasm/, "WebAssembly module"],
  [/^application\/vnd\.dev\.cosign\.artifact\.sig|^application\/vnd\.dev\.cosign\.simplesigning/, "Signatures (cosign)"],
  [/^application\/vnd\.dev\.sigstore\.bundle/, "Signatures (Sigstore bundle)"],
  [/^application\/vnd\.cncf\.notary\.signature/, "Signatures (Notation)"],
  [/spdx/, "SBOMs (SPDX)"],
  [/cyclonedx/, "SBOMs (CycloneDX)"],
  [/in-toto|attestation/, "Attestations (in-toto)"],
  [/^application\/vnd\.oci\.empty/, "Artifact"],
];

function friendlyType(type) {
  for (const [pattern, name] of artifactKinds) if (pattern.test(type)) return name;
  return type;
}

function kindOf(image) {
  if (image.artifactType) return friendlyType(image.artifactType);
  if (image.index || /index|manifest\.list/.test(image.mediaType ?? "")) return "Multi-platform image";
  return "Image";
}

// ---- one image ---------------------------------------------------------------------------------------------------

function parseImageRoute(rest) {
  const at = rest.lastIndexOf("@");
  if (at > 0) return { name: rest.slice(0, at), ref: rest.slice(at + 1), byDigest: true };
  const colon = rest.lastIndexOf(":");
  const slash = rest.lastIndexOf("/");
  if (colon > slash) return { name: rest.slice(0, colon), ref: rest.slice(colon + 1), byDigest: false };
  return { name: rest, ref: "latest", byDigest: false };
}

function section(title, id, ...content) {
  const heading = "h-" + title.toLowerCase().replace(/[^a-z]+/g, "-");
  return h("section", { "aria-labelledby": heading }, h("h2", { id: heading }, title), ...content);
}

function definitions(id, entries) {
  const shown = entries.filter(([, value]) => value !== null && value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0));
  return shown.length === 0 ? h("p", { class: "muted" }, "None.")
    : h("dl", { id }, shown.map(([term, value]) => [h("dt", {}, term), h("dd", {}, Array.isArray(value)
      ? h("ul", { class: "plain" }, value.map((item) => h("li", {}, h("code", {}, item)))) : h("code", {}, String(value)))]));
}

const asCommand = (list) => (Array.isArray(list) ? list.join(" ") : null);
const entriesOf = (map) => Object.entries(map ?? {}).map(([key, value]) => `${key}=${value}`);

/** The commands that fetch this manifest: container tools for an image, helm for a chart, oras for other artifacts. */
function pullTools(name, kind, plain) {
  const last = name.split("/").pop();
  if (kind === "Helm chart") {
    return [["helm", (ref, tag) => tag
      ? `helm pull ${plain ? "--plain-http " : ""}oci://${ref.slice(0, ref.lastIndexOf(":"))} --version ${tag}`
      : `helm pull ${plain ? "--plain-http " : ""}oci://${ref}`],
    ["oras", (ref) => `oras pull ${plain ? "--plain-http " : ""}${ref}`]];
  }
  if (!["Container image", "Multi-platform image"].includes(kind)) {
    return [["oras", (ref) => `oras pull ${plain ? "--plain-http " : ""}${ref}`]];
  }
  return [
    ["docker", (ref) => `docker pull ${ref}`],
    ["podman", (ref) => `podman pull ${plain ? "--tls-verify=false " : ""}${ref}`],
    ["skopeo", (ref) => `skopeo copy ${plain ? "--src-tls-verify=false " : ""}docker://${ref} oci:${last}`],
    ["crane", (ref) => `crane pull ${plain ? "--insecure " : ""}${ref} ${last}.tar`],
  ];
}

function pullCommands(name, tags, digest, kind) {
  const host = location.host;
  const plain = location.protocol === "http:";
  const tools = pullTools(name, kind, plain);
  const references = [];
  if (tags.length > 0) references.push(["tag", `${host}/${name}:${tags[0]}`, tags[0]]);
  references.push(["digest", `${host}/${name}@${digest}`, null]);
  // One reference at a time (by tag, or by digest), so the commands fit on a screen.
  const list = h("ul", { id: "pull-commands", class: "plain commands" });
  const switches = references.map(([by]) => h("button", { type: "button", class: "small", "aria-pressed": "false", onclick: () => show(by) }, "By " + by));
  const show = (chosen) => {
    const [by, reference, tag] = references.find(([name]) => name === chosen);
    switches.forEach((button, i) => button.setAttribute("aria-pressed", String(references[i][0] === by)));
    list.replaceChildren(...tools.map(([tool, command]) => {
      const text = command(reference, tag);
      const code = h("code", {}, text);
      return h("li", {}, h("button", { type: "button", class: "small", "aria-label": `Copy ${tool} pull by ${by}`, onclick: async (event) => {
        await copy(text, code);
        event.target.textContent = "Copied";
        setTimeout(() => (event.target.textContent = "Copy"), 1500);
      } }, "Copy"), " ", code);
    }));
  };
  show(references[0][0]);
  return [references.length > 1 ? h("div", { class: "switch", role: "group", "aria-label": "Pull by" }, switches) : null, list];
}

async function copy(text, element) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard API (plain HTTP to a host other than localhost): select the text for Ctrl+C instead.
    const range = document.createRange();
    range.selectNodeContents(element);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  }
}

function referrerGroups(name, referrers) {
  if (referrers.length === 0) return h("p", { class: "muted" }, "No signatures, SBOMs or attestations refer to this image.");
  const groups = new Map();
  for (const referrer of referrers) {
    const type = referrer.artifactType ?? referrer.mediaType;
    if (!groups.has(type)) groups.set(type, []);
    groups.get(type).push(referrer);
  }
  return h("div", { id: "referrers" }, [...groups].map(([type, items]) =>
    h("section", { class: "artifact-group", "data-artifact-type": type },
      h("h3", {}, friendlyType(type), " ", h("span", { class: "muted" }, `(${items.length})`)),
      h("p", { class: "muted" }, h("code", {}, type)),
      h("ul", { class: "plain" }, items.map((referrer) => h("li", {},
        route(`/i/${name}@${referrer.digest}`, h("code", {}, shortDigest(referrer.digest))), " ", bytes(referrer.size),
        Object.keys(referrer.annotations ?? {}).length ? h("span", { class: "muted" }, " · " + entriesOf(referrer.annotations).join(", ")) : null))))));
}

function artifactKind(data) {
  const type = data.artifactType ?? data.configMediaType ?? "";
  if (/index|manifest\.list/.test(data.mediaType) && !data.artifactType) return "Multi-platform image";
  if (data.image) return "Container image";
  return friendlyType(type) === type ? `Artifact (${type})` : friendlyType(type);
}

/** What an artifact's config says of itself: a Helm chart's name and version, read as data and shown as text. */
function artifactFacts(data) {
  if (!data.config || data.image) return null;
  let config;
  try {
    config = JSON.parse(data.config);
  } catch {
    return null;
  }
  if (typeof config !== "object" || config === null || Array.isArray(config)) return null;
  const facts = ["name", "version", "appVersion", "apiVersion", "description", "type"]
    .filter((key) => typeof config[key] === "string" || typeof config[key] === "number")
    .map((key) => [key, config[key]]);
  return facts.length ? section("About", "about", definitions("artifact-facts", facts)) : null;
}

async function image(rest, view) {
  const { name, ref, byDigest } = parseImageRoute(rest);
  const data = await api(`image?name=${encodeURIComponent(name)}&ref=${encodeURIComponent(ref)}`);
  const title = byDigest ? `${name}@${shortDigest(ref)}` : `${name}:${ref}`;
  view.title = title + " · Berth";
  const config = data.image;
  const isIndex = data.children.length > 0;
  const parts = [
    h("p", { class: "crumbs" }, route("/repositories", "Repositories"), " / ", route("/r/" + name, name), " / "),
    h("h1", {}, byDigest ? `${name}@${ref}` : `${name}:${ref}`),
    h("p", {}, h("span", { id: "artifact-kind", class: "badge" }, artifactKind(data)), " ",
      h("code", { class: "digest-full" }, data.digest), " · ", bytes(data.size),
      data.tags.length ? [" · tags: ", data.tags.map((tag, i) => [i ? ", " : "", route(`/i/${name}:${tag}`, tag)])] : " · untagged",
      data.subject ? [" · refers to ", route(`/i/${name}@${data.subject}`, h("code", {}, shortDigest(data.subject)))] : null),
  ];
  if (data.canDelete) {
    parts.push(h("p", {}, h("button", { type: "button", class: "danger", onclick: async () => {
      const goes = data.tags.length ? ` Its tags go with it: ${data.tags.join(", ")}.` : "";
      if (await remove(`image?name=${encodeURIComponent(name)}&digest=${encodeURIComponent(data.digest)}`,
        `Delete ${name}@${shortDigest(data.digest)}?${goes}`)) location.hash = "#/r/" + name;
    } }, "Delete image")));
  }
  if (isIndex) {
    parts.push(section("Platforms", "platforms", h("table", { id: "platforms" },
      h("thead", {}, h("tr", {}, ["Platform", "Digest", "Kind", "Size"].map((label) => h("th", { scope: "col" }, label)))),
      h("tbody", {}, data.children.map((child) => h("tr", { "data-digest": child.digest },
        h("th", { scope: "row" }, child.platform ? [child.platform.os, child.platform.architecture, child.platform.variant].filter(Boolean).join("/") : "—"),
        h("td", {}, child.stored ? route(`/i/${name}@${child.digest}`, h("code", {}, shortDigest(child.digest))) : h("code", {}, shortDigest(child.digest))),
        h("td", {}, child.artifactType ? friendlyType(child.artifactType) : kindOf(child)),
        h("td", {}, bytes(child.size))))))));
  }
  parts.push(section("Pull commands", "pull", pullCommands(name, byDigest ? data.tags : [ref], data.digest, artifactKind(data))));
  if (config) {
    const platform = config.platform ?? {};
    parts.push(section("Configuration", "config", definitions("config", [
      ["OS", platform.os], ["Architecture", [platform.architecture, platform.variant].filter(Boolean).join("/")],
      ["Created", config.created], ["Author", config.author],
      ["Entrypoint", asCommand(config.entrypoint)], ["Command", asCommand(config.cmd)],
      ["Environment", config.env ?? []], ["Exposed ports", Object.keys(config.exposedPorts ?? {})],
      ["Working directory", config.workingDir], ["User", config.user], ["Labels", entriesOf(config.labels)],
    ])));
  }
  parts.push(artifactFacts(data));
  if (!isIndex) {
    parts.push(section("Layers", "layers", data.layers.length === 0 ? h("p", { class: "muted" }, "No layers.") : h("table", { id: "layers" },
      h("thead", {}, h("tr", {}, ["#", "Digest", "Media type", "Size"].map((label) => h("th", { scope: "col" }, label)))),
      h("tbody", {}, data.layers.map((layer, i) => h("tr", {}, h("td", {}, String(i + 1)), h("td", {}, h("code", { title: layer.digest }, shortDigest(layer.digest))),
        h("td", {}, h("code", {}, layer.mediaType)), h("td", {}, bytes(layer.size))))))));
  }
  if (data.history.length) {
    parts.push(section("History", "history", h("ol", { id: "history" }, data.history.map((step) =>
      h("li", { class: step.emptyLayer ? "empty" : "" }, h("code", {}, step.createdBy ?? step.comment ?? "(no command)"), " ",
        h("span", { class: "muted" }, step.emptyLayer ? "no layer" : "layer", step.created ? [", ", time(step.created)] : null))))));
  }
  parts.push(section("Annotations", "annotations", definitions("annotations", Object.entries(data.annotations))));
  parts.push(section("Referrers", "referrers", referrerGroups(name, data.referrers)));
  parts.push(section("Manifest", "manifest", h("pre", { id: "manifest-json", tabindex: "0" }, pretty(data.manifest))));
  if (data.config) parts.push(section("Config", "config-json", h("pre", { id: "config-json", tabindex: "0" }, pretty(data.config))));
  return parts;
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

// ---- routing -------------------------------------------------------------------------------------------------------

/** Counts renders, so that the answer for a page the visitor has already left never replaces the page shown. */
let renders = 0;

async function render() {
  const generation = ++renders;
  const hash = decodeURIComponent(location.hash.replace(/^#/, "")) || "/";
  let page;
  if (hash === "/") page = overview;
  else if (hash === "/repositories") page = repositories;
  else if (hash.startsWith("/r/")) page = (view) => repository(hash.slice(3), view);
  else if (hash.startsWith("/i/")) page = (view) => image(hash.slice(3), view);
  else page = overview;
  for (const link of document.querySelectorAll("nav a")) {
    link.toggleAttribute("aria-current", link.getAttribute("href") === "#" + hash || (hash === "/" && link.getAttribute("href") === "#/"));
  }
  setStatus("Loading…");
  const view = { title: "Berth" };
  try {
    const content = await page(view);
    if (generation !== renders) return;
    main.replaceChildren(...content.flat(Infinity).filter(Boolean));
    document.title = view.title;
    setStatus("");
  } catch (error) {
    if (generation !== renders) return;
    document.title = "Berth";
    main.replaceChildren(h("h1", {}, error.status === 404 ? "Not found" : "Something went wrong"),
      h("p", {}, error.status === 404 ? "There is nothing here that you may see." : error.message),
      session.auth === "htpasswd" && !session.user ? h("p", {}, "You may need to log in.") : null);
    setStatus(error.message);
  }
}

document.getElementById("login-form").addEventListener("submit", logIn);
document.getElementById("login-cancel").addEventListener("click", () => document.getElementById("login").close());
window.addEventListener("hashchange", () => {
  render();
  main.focus({ preventScroll: true });
});
document.addEventListener("keydown", (event) => {
  // "/" jumps to the filter, as on most code hosts.
  if (event.key === "/" && !(event.target instanceof HTMLInputElement)) {
    const search = document.querySelector("input[type=search]");
    if (search) {
      event.preventDefault();
      search.focus();
    }
  }
});

// The session and the page are asked for at once: the list does not wait for the login button. Credentials that
// stopped working are forgotten by loadSession, and the page is then drawn again as anonymous sees it.
const storedCredentials = sessionStorage.getItem(authKey);
render();
loadSession().then(() => {
  const overviewForAnonymous = session.auth === "htpasswd" && !session.user && ["", "#", "#/"].includes(location.hash);
  if (storedCredentials !== sessionStorage.getItem(authKey) || overviewForAnonymous) render();
}, (error) => setStatus("Berth did not answer: " + error.message));
