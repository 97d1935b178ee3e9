// The HTML of the public search page; placeholders are filled by SearchPage.
extension SearchPage {
    static let template = #"""
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
  .field { display: flex; flex-direction: column; flex: 1 1 12rem; }
  .field.wide { flex: 3 1 20rem; }
  label { font-weight: 600; margin-bottom: .2rem; }
  input[type=text], select { font: inherit; padding: .5rem; border: 1px solid #767676; border-radius: .3rem; background: #fff; }
  button { font: inherit; padding: .55rem 1rem; border-radius: .3rem; border: 2px solid var(--accent); cursor: pointer; }
  button.primary { background: var(--accent); color: #fff; }
  button.secondary { background: #fff; color: var(--accent); }
  :focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
  fieldset { border: 1px solid var(--line); border-radius: .3rem; margin: .75rem 0 0; padding: .5rem .75rem; }
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
        <select id="service" name="service"><option value="">Tous les services</option>__SERVICES__</select>
      </div>
      <div class="field">
        <label for="public">Public</label>
        <select id="public" name="public"><option value="">Tous les publics</option>__PUBLICS__</select>
      </div>
      <div class="field">
        <label for="network">Réseau</label>
        <select id="network" name="network"><option value="">Tous les réseaux</option>__NETWORKS__</select>
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
<ol id="results" aria-label="Lieux d'accueil les plus proches"></ol>
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
  var origin = null; // {lat, lon} when the person used their position

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

  function render(data) {
    list.innerHTML = "";
    var where = data.origin.label ? " autour de " + data.origin.label : "";
    if (data.count === 0) {
      statusEl.textContent = "Aucun lieu trouvé" + where + ". Élargissez la distance ou retirez un filtre.";
      return;
    }
    statusEl.textContent = data.count + " lieu" + (data.count > 1 ? "x" : "") + " d'accueil" + where + ", du plus proche au plus loin.";
    data.results.forEach(function (r) {
      var li = document.createElement("li");
      li.className = "result";
      var h = document.createElement("h2");
      h.appendChild(text("span", km(r.distanceMetres), "distance"));
      h.appendChild(document.createTextNode(" — " + r.name));
      li.appendChild(h);
      var who = r.structures.map(function (s) { return s.name + " (" + s.network.label + ")"; }).join(" ; ");
      li.appendChild(text("p", (r.lieuMutualise ? "Lieu mutualisé : " : "") + who, "meta"));
      li.appendChild(text("p", "Comment venir : " + r.address.singleLine));
      if (r.today) {
        var hours = text("p", r.today, r.openNow ? "open" : "meta");
        if (r.openNow) hours.textContent = "Ouvert maintenant — " + r.today;
        li.appendChild(hours);
      }
      if (r.openingHours) li.appendChild(text("p", "Horaires de la semaine : " + r.openingHours, "meta"));
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
    fetch("/api/v1/places/nearest?" + params().toString())
      .then(function (res) { return res.json().then(function (body) { return { ok: res.ok, body: body }; }); })
      .then(function (r) {
        if (!r.ok) { statusEl.className = "error"; statusEl.textContent = r.body.message; list.innerHTML = ""; return; }
        render(r.body);
      })
      .catch(function () { statusEl.className = "error"; statusEl.textContent = "Le service ne répond pas. Réessayez dans un instant."; });
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
