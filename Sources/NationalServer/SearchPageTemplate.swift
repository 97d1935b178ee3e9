import Directory
import SafeHTML

// The HTML of the public search page. Its script renders what the API returns with DOM calls and
// `textContent`: no answer goes in as markup.
extension SearchPage {
    static let page: HTML = #"""
<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trouver un lieu d'accueil pour s'orienter — SPRO</title>
<style>
  :root { --ink: #1b1b1b; --muted: #555; --accent: #00419e; --line: #ccc; --bg: #fff; --soft: #f2f5fa; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
  header { background: var(--accent); color: #fff; padding: 1rem; }
  header h1 { margin: 0; font-size: 1.35rem; }
  header p { margin: .25rem 0 0; }
  main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
  form { background: var(--soft); padding: 1rem; border-radius: .5rem; }
  .row { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; }
  .field { display: flex; flex-direction: column; flex: 1 1 12rem; min-width: 0; }
  .field.wide { flex: 3 1 20rem; }
  label { font-weight: 600; margin-bottom: .2rem; }
  input[type=text], select { font: inherit; padding: .5rem; border: 1px solid #767676; border-radius: .3rem; background: #fff; max-width: 100%; }
  button { font: inherit; padding: .55rem 1rem; border-radius: .3rem; border: 2px solid var(--accent); cursor: pointer; }
  button.primary { background: var(--accent); color: #fff; }
  button.secondary { background: #fff; color: var(--accent); }
  :focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
  /* A fieldset is as wide as its widest option label unless told otherwise: too wide for a phone. */
  fieldset { border: 1px solid var(--line); border-radius: .3rem; margin: .75rem 0 0; padding: .5rem .75rem; min-width: 0; }
  legend { font-weight: 600; }
  .checks { display: flex; gap: 1.25rem; flex-wrap: wrap; }
  #status { margin: 1rem 0; color: var(--muted); min-height: 1.5rem; }
  #status.error { color: #b00020; font-weight: 600; }
  ol#results { list-style: none; padding: 0; margin: 0; }
  ol#results > li { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1rem; margin-bottom: .75rem; }
  .result h2 { font-size: 1.1rem; margin: 0 0 .25rem; }
  .distance { font-weight: 700; color: var(--accent); }
  .meta { color: var(--muted); font-size: .95rem; }
  .tags { display: flex; flex-wrap: wrap; gap: .35rem; margin: .4rem 0 0; padding: 0; list-style: none; }
  .tags li { background: var(--soft); border-radius: 1rem; padding: 0 .6rem; font-size: .85rem; }
  .open { color: #006b2d; font-weight: 600; }
  .num { display: inline-block; min-width: 1.6rem; height: 1.6rem; line-height: 1.6rem; border-radius: .8rem; margin-right: .4rem;
         background: var(--accent); color: #fff; text-align: center; font-size: .9rem; vertical-align: .1rem; }
  .resultats { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); }
  @media (min-width: 52rem) {
    .resultats.avec-carte { grid-template-columns: minmax(0, 1fr) 22rem; align-items: start; }
    #carte { position: sticky; top: 1rem; }
  }
  #carte { margin: 0; }
  #carte svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: .5rem; }
  #carte figcaption { color: var(--muted); font-size: .85rem; margin-top: .35rem; }
  footer { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: var(--muted); font-size: .85rem; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
</style>
</head>
<body>
<header>
  <h1>Trouver un lieu d'accueil pour s'orienter</h1>
  <p>Service public régional de l'orientation : information et conseil gratuits sur les métiers, les formations et l'emploi.</p>
</header>
<main>
<form id="search" role="search" action="/" method="get" novalidate>
  <div class="row">
    <div class="field wide">
      <label for="q">Adresse, code postal ou commune</label>
      <input type="text" id="q" name="q" autocomplete="off" placeholder="ex. Quimper, 29200, 12 rue de Siam 29200 Brest">
    </div>
    <div class="field">
      <label for="radius">Distance maximale</label>
      <select id="radius" name="radius_km">
        <option value="">Sans limite</option>
        <option value="5">5 km</option>
        <option value="10">10 km</option>
        <option value="20" selected>20 km</option>
        <option value="50">50 km</option>
        <option value="100">100 km</option>
      </select>
    </div>
  </div>
  <div class="row" style="margin-top:.75rem">
    <button type="submit" class="primary">Rechercher</button>
    <button type="button" class="secondary" id="locate">Utiliser ma position</button>
  </div>
  <fieldset>
    <legend>Affiner</legend>
    <div class="row">
      <div class="field">
        <label for="service">Service</label>
        <select id="service" name="service"><option value="">Tous les services</option>\#(options(Service.self))</select>
      </div>
      <div class="field">
        <label for="public">Public</label>
        <select id="public" name="public"><option value="">Tous les publics</option>\#(options(Public.self))</select>
      </div>
      <div class="field">
        <label for="network">Réseau</label>
        <select id="network" name="network"><option value="">Tous les réseaux</option>\#(options(Network.self))</select>
      </div>
    </div>
    <div class="checks" style="margin-top:.5rem">
      <label><input type="checkbox" id="sans_rdv" name="sans_rdv"> Sans rendez-vous</label>
      <label><input type="checkbox" id="accessible" name="accessible"> Accessible en fauteuil roulant</label>
      <label><input type="checkbox" id="open_now" name="open_now"> Ouvert maintenant</label>
    </div>
  </fieldset>
</form>
<p id="status" role="status" aria-live="polite"></p>
<div class="resultats" id="resultats">
<ol id="results" aria-label="Lieux d'accueil les plus proches"></ol>
<figure id="carte" hidden>
  <div id="carte-svg"></div>
  <figcaption>Les points numérotés sont les lieux de la liste ; le cercle rouge marque le point recherché. Fond : départements (IGN), communes (INSEE).</figcaption>
</figure>
</div>
</main>
<footer>
  Résultats classés par distance uniquement, sans préférence pour un réseau (neutralité du service public).
  Sources : lieux déclarés par les Régions ; INSEE, La Poste, IGN — Licence Ouverte 2.0.
</footer>
<script>
(function () {
  "use strict";
  var form = document.getElementById("search");
  var statusEl = document.getElementById("status");
  var list = document.getElementById("results");
  var area = document.getElementById("resultats");
  var mapFigure = document.getElementById("carte");
  var mapHolder = document.getElementById("carte-svg");
  var origin = null; // {lat, lon} when the person used their position
  var latest = 0;    // the latest search: an answer to an older one, arriving late, is dropped

  function params() {
    var p = new URLSearchParams();
    if (origin) { p.set("lat", origin.lat); p.set("lon", origin.lon); }
    else { p.set("q", document.getElementById("q").value.trim()); }
    p.set("limit", "10");
    ["radius", "service", "public", "network"].forEach(function (id) {
      var v = document.getElementById(id).value;
      if (v) p.set(id === "radius" ? "radius_km" : id, v);
    });
    if (document.getElementById("sans_rdv").checked) p.set("sans_rdv", "true");
    if (document.getElementById("accessible").checked) p.set("accessible", "true");
    if (document.getElementById("open_now").checked) p.set("open_now", "true");
    return p;
  }

  function text(tag, content, cls) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  }

  function km(m) { return m < 1000 ? m + " m" : (m / 1000).toFixed(1).replace(".", ",") + " km"; }

  function showMap(shown) {
    mapFigure.hidden = !shown;
    area.classList.toggle("avec-carte", shown);
    if (!shown) mapHolder.replaceChildren();
  }

  function svg(tag, attributes) {
    var el = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attributes).forEach(function (k) { el.setAttribute(k, attributes[k]); });
    return el;
  }

  // The map: the server draws the départements around the results (/carte.svg) and writes how lon/lat
  // fall on it; the searched point and the numbered results are drawn here, from the data of the list.
  function drawMap(data, found, ticket) {
    if (data.results.length === 0) { showMap(false); return; }
    var points = [data.origin].concat(data.results);
    var lats = points.map(function (p) { return p.lat; }), lons = points.map(function (p) { return p.lon; });
    var minLat = Math.min.apply(null, lats), maxLat = Math.max.apply(null, lats);
    var minLon = Math.min.apply(null, lons), maxLon = Math.max.apply(null, lons);
    var padLat = Math.max((maxLat - minLat) * 0.15, 0.05), padLon = Math.max((maxLon - minLon) * 0.15, 0.075);
    var bbox = [minLon - padLon, minLat - padLat, maxLon + padLon, maxLat + padLat].map(function (v) { return v.toFixed(4); });
    fetch("/carte.svg?bbox=" + bbox.join(","))
      .then(function (res) { if (!res.ok) throw new Error("carte " + res.status); return res.text(); })
      .then(function (body) {
        if (ticket !== latest) return;
        // Parsed as XML apart from the page, and let in only if it is one SVG drawing.
        var drawing = new DOMParser().parseFromString(body, "image/svg+xml").documentElement;
        if (drawing.namespaceURI !== "http://www.w3.org/2000/svg" || drawing.localName !== "svg") throw new Error("carte illisible");
        var map = document.importNode(drawing, true);
        mapHolder.replaceChildren(map);
        var k = map.getAttribute("data-projection").split(" ").map(Number);
        function at(p) { return (k[0] + (p.lon - k[2]) * k[4]).toFixed(1) + " " + (k[1] + (k[3] - p.lat) * k[5]).toFixed(1); }
        var label = "Carte : " + found + ", numérotés comme dans la liste ; le cercle rouge marque le point recherché.";
        map.setAttribute("aria-label", label);
        map.querySelector("title").textContent = label;
        // A ring, wider than a dot: still seen when a place stands right on the searched point.
        var here = svg("g", { "class": "origine", transform: "translate(" + at(data.origin) + ")", fill: "none" });
        here.appendChild(svg("circle", { r: 15, stroke: "#fff", "stroke-width": 5 }));
        here.appendChild(svg("circle", { r: 15, stroke: "#b00020", "stroke-width": 2.5 }));
        here.appendChild(svg("circle", { r: 3, fill: "#b00020" }));
        map.appendChild(here);
        // From the last to the first, so that where dots overlap the nearest lies on top.
        for (var i = data.results.length - 1; i >= 0; i--) {
          var dot = svg("g", { "class": "point", "data-id": data.results[i].id, transform: "translate(" + at(data.results[i]) + ")" });
          dot.appendChild(svg("circle", { r: 10, fill: "#00419e", stroke: "#fff", "stroke-width": 2 }));
          var n = svg("text", { "text-anchor": "middle", dy: "0.35em", fill: "#fff", "font-size": 12, "font-weight": 700,
                                "font-family": "system-ui, sans-serif" });
          n.textContent = String(i + 1);
          dot.appendChild(n);
          map.appendChild(dot);
        }
        showMap(true);
      })
      .catch(function () { if (ticket === latest) showMap(false); });
  }

  function render(data, ticket) {
    list.replaceChildren();
    var where = data.origin.label ? " autour de " + data.origin.label : "";
    if (data.count === 0) {
      statusEl.textContent = "Aucun lieu trouvé" + where + ". Élargissez la distance ou retirez un filtre.";
      showMap(false);
      return;
    }
    var found = data.count + " lieu" + (data.count > 1 ? "x" : "") + " d'accueil" + where;
    statusEl.textContent = found + ", du plus proche au plus loin.";
    data.results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.className = "result";
      li.setAttribute("data-id", r.id);
      li.setAttribute("data-distance-metres", r.distanceMetres);
      var h = document.createElement("h2");
      var num = text("span", String(i + 1), "num");
      num.setAttribute("aria-hidden", "true");  // the ordered list already gives the rank
      h.appendChild(num);
      // A commune-centre position gives no honest distance: say where, and that it is approximate.
      var approximate = r.precision === "commune" || r.precision === "postcode";
      h.appendChild(text("span", approximate ? "à " + r.address.city + " (position approximative)" : km(r.distanceMetres), "distance"));
      h.appendChild(document.createTextNode(" — " + r.name));
      li.appendChild(h);
      var who = r.structures.map(function (s) { return s.name + " (" + s.network.label + ")"; }).join(" ; ");
      li.appendChild(text("p", (r.lieuMutualise ? "Lieu mutualisé : " : "") + who, "meta"));
      li.appendChild(text("p", "Comment venir : " + r.address.singleLine));
      if (r.status) li.appendChild(text("p", r.status, r.openNow ? "open" : "meta"));
      if (r.hoursText) li.appendChild(text("p", "Horaires : " + r.hoursText, "meta"));
      var phone = r.phone || (r.structures[0] && r.structures[0].phone);
      if (phone) {
        var p = document.createElement("p");
        p.appendChild(document.createTextNode("Téléphone : "));
        var a = document.createElement("a");
        a.href = "tel:" + phone.replace(/\s/g, "");
        a.textContent = phone;
        p.appendChild(a);
        li.appendChild(p);
      }
      var tags = document.createElement("ul");
      tags.className = "tags";
      tags.setAttribute("aria-label", "Services et publics");
      r.receptionModes.concat(r.services.slice(0, 4), r.publics.slice(0, 3)).forEach(function (t) { tags.appendChild(text("li", t.label)); });
      if (r.accessible) tags.appendChild(text("li", "Accessible PMR"));
      li.appendChild(tags);
      list.appendChild(li);
    });
    drawMap(data, found, ticket);
  }

  function search() {
    if (!origin && !document.getElementById("q").value.trim()) {
      statusEl.className = "error";
      statusEl.textContent = "Indiquez une adresse, un code postal ou une commune, ou utilisez votre position.";
      document.getElementById("q").focus();
      return;
    }
    statusEl.className = "";
    statusEl.textContent = "Recherche en cours…";
    var ticket = ++latest;
    // URLSearchParams writes a space as "+", which the server reads as a plus: send "%20" (a real "+" is "%2B").
    fetch("/api/v1/places/nearest?" + params().toString().replace(/\+/g, "%20"))
      .then(function (res) { return res.json().then(function (body) { return { ok: res.ok, body: body }; }); })
      .then(function (r) {
        if (ticket !== latest) return;
        if (!r.ok) { statusEl.className = "error"; statusEl.textContent = r.body.message; list.replaceChildren(); showMap(false); return; }
        render(r.body, ticket);
      })
      .catch(function () {
        if (ticket !== latest) return;
        statusEl.className = "error";
        statusEl.textContent = "Le service ne répond pas. Réessayez dans un instant.";
      });
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); origin = null; search(); });
  document.getElementById("q").addEventListener("input", function () { origin = null; });
  ["radius", "service", "public", "network", "sans_rdv", "accessible", "open_now"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", function () {
      if (origin || document.getElementById("q").value.trim()) search();
    });
  });
  document.getElementById("locate").addEventListener("click", function () {
    if (!navigator.geolocation) { statusEl.textContent = "Votre navigateur ne donne pas votre position."; return; }
    statusEl.textContent = "Recherche de votre position…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      origin = { lat: pos.coords.latitude.toFixed(5), lon: pos.coords.longitude.toFixed(5) };
      search();
    }, function () { statusEl.className = "error"; statusEl.textContent = "Position indisponible : saisissez une commune."; });
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { document.getElementById("q").value = initial; search(); }
})();
</script>
</body>
</html>
"""#
}
