import SafeHTML

// The search page's script. The server renders every result; the script only enhances:
// - a search (the form sent, a filter changed, "plus de résultats", a commune chosen) fetches the very
//   page the browser would load and swaps its results in, without a reload; the URL follows
//   (`pushState` for a new search, `replaceState` for a filter changed), and Back shows the previous one;
// - "utiliser ma position" searches around the browser's position;
// - the map: the server draws the départements around the results (`/carte.svg`) and writes how lon/lat
//   fall on it; the searched point and the numbered places are drawn here from the list's own
//   `data-lat`/`data-lon`, so the dots and the list cannot disagree.
// Nothing read from an answer goes in as markup but the server's own page, parsed apart and imported.
extension SearchPage {
    static let script: HTML = #"""
<script>
(function () {
  "use strict";
  var latest = 0;  // the latest search: an answer to an older one, arriving late, is dropped
  var shown = location.pathname + location.search;  // the search whose results are shown
  function $(id) { return document.getElementById(id); }

  // The page of the search the form describes, as the browser would send it; empty fields are left out
  // but the radius ("rayon=" is "sans limite").
  function formURL(change) {
    var p = new URLSearchParams();
    new FormData($("search")).forEach(function (v, k) { if (String(v).trim() !== "" || k === "rayon") p.append(k, v); });
    if (change) change(p);
    // URLSearchParams writes a space as "+", which forms do too; "%20" reads the same and copies better.
    return "/?" + p.toString().replace(/\+/g, "%20");
  }

  function say(text, error) {
    var status = $("status");
    status.className = error ? "error" : "";
    status.textContent = text;
  }

  // Loads `url` and puts its results (and status, and title) in place of these. `how`: "push" for a new
  // search, "replace" for a filter changed, "pop" for Back/Forward (the form is taken too).
  function load(url, how, focusId) {
    var ticket = ++latest;
    say("Recherche en cours…", false);
    fetch(url, { headers: { Accept: "text/html" } })
      .then(function (res) { return res.text(); })
      .then(function (body) {
        if (ticket !== latest) return;
        var page = new DOMParser().parseFromString(body, "text/html");
        var zone = page.getElementById("zone"), status = page.getElementById("status");
        if (!zone || !status) throw new Error("page inattendue");
        $("zone").replaceWith(document.importNode(zone, true));
        if (how === "pop") {
          $("search").replaceWith(document.importNode(page.getElementById("search"), true));
          $("locate").hidden = !navigator.geolocation;
        } else {
          // The position searched from, if any, as the server wrote it in its form: kept for the next filter.
          clearPosition();
          Array.prototype.forEach.call(page.querySelectorAll("#search input[type=hidden]"),
                                       function (el) { $("search").appendChild(document.importNode(el, true)); });
        }
        say(status.textContent, status.className === "error");
        document.title = page.title;
        var canonical = $("zone").getAttribute("data-url") || url;
        if (how === "push") history.pushState(null, "", canonical);
        else if (how === "replace") history.replaceState(null, "", canonical);
        shown = location.pathname + location.search;
        drawMap(ticket);
        var target = focusId && $(focusId);
        if (target) { target.setAttribute("tabindex", "-1"); target.focus(); }
      })
      .catch(function () {
        if (ticket === latest) say("Le service ne répond pas. Réessayez dans un instant.", true);
      });
  }

  function showMap(shown) {
    var figure = $("carte");
    if (!figure) return;
    figure.hidden = !shown;
    if (!shown) $("carte-svg").replaceChildren();
  }

  function svg(tag, attributes) {
    var el = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attributes).forEach(function (k) { el.setAttribute(k, attributes[k]); });
    return el;
  }

  function drawMap(ticket) {
    var list = $("results");
    var items = list ? Array.prototype.filter.call(list.children, function (li) { return li.hasAttribute("data-lat"); }) : [];
    if (items.length === 0) { showMap(false); return; }
    var places = items.map(function (li) {
      return { id: li.getAttribute("data-id"), number: li.querySelector(".num").textContent, approximate: li.hasAttribute("data-approximate"),
               lat: Number(li.getAttribute("data-lat")), lon: Number(li.getAttribute("data-lon")) };
    });
    var origin = list.hasAttribute("data-origin-lat")
      ? { lat: Number(list.getAttribute("data-origin-lat")), lon: Number(list.getAttribute("data-origin-lon")) } : null;
    var points = origin ? [origin].concat(places) : places;
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
        $("carte-svg").replaceChildren(map);
        var k = map.getAttribute("data-projection").split(" ").map(Number);
        function at(p) { return (k[0] + (p.lon - k[2]) * k[4]).toFixed(1) + " " + (k[1] + (k[3] - p.lat) * k[5]).toFixed(1); }
        var label = "Carte : " + $("status").textContent.replace(/\.$/, "") + " ; numérotés comme dans la liste"
          + (origin ? " ; le cercle rouge marque le point recherché." : ".");
        map.setAttribute("aria-label", label);
        map.querySelector("title").textContent = label;
        if (origin) {
          // A ring, wider than a dot: still seen when a place stands right on the searched point.
          var here = svg("g", { "class": "origine", transform: "translate(" + at(origin) + ")", fill: "none" });
          here.appendChild(svg("circle", { r: 15, stroke: "#fff", "stroke-width": 5 }));
          here.appendChild(svg("circle", { r: 15, stroke: "#b00020", "stroke-width": 2.5 }));
          here.appendChild(svg("circle", { r: 3, fill: "#b00020" }));
          map.appendChild(here);
        }
        // From the last to the first, so that where dots overlap the nearest lies on top. A place only
        // placed at its commune's centre is ringed with dashes, as the caption says.
        for (var i = places.length - 1; i >= 0; i--) {
          var p = places[i];
          var dot = svg("g", { "class": p.approximate ? "point approximatif" : "point", "data-id": p.id, transform: "translate(" + at(p) + ")" });
          dot.appendChild(svg("circle", p.approximate
            ? { r: 10, fill: "#00419e", stroke: "#00419e", "stroke-width": 2, "stroke-dasharray": "3 2", "fill-opacity": 0.75 }
            : { r: 10, fill: "#00419e", stroke: "#fff", "stroke-width": 2 }));
          var n = svg("text", { "text-anchor": "middle", dy: "0.35em", fill: "#fff", "font-size": 12, "font-weight": 700,
                                "font-family": "system-ui, sans-serif" });
          n.textContent = p.number;
          dot.appendChild(n);
          map.appendChild(dot);
        }
        showMap(true);
      })
      .catch(function () { if (ticket === latest) showMap(false); });
  }

  function clearPosition() {
    Array.prototype.forEach.call(document.querySelectorAll("#search input[name=lat], #search input[name=lon]"),
                                 function (el) { el.remove(); });
  }

  document.addEventListener("submit", function (e) {
    if (e.target.id !== "search") return;
    e.preventDefault();
    if (!$("q").value.trim() && !$("search").elements.lat) {
      say("Indiquez une adresse, un code postal, une commune ou le nom d'un lieu, ou utilisez votre position.", true);
      $("q").focus();
      return;
    }
    load(formURL(), "push");
  });
  document.addEventListener("input", function (e) { if (e.target.id === "q") clearPosition(); });
  document.addEventListener("change", function (e) {
    var form = $("search");
    if (!form.contains(e.target) || e.target.id === "q") return;
    if ($("q").value.trim() || form.elements.lat) load(formURL(), "replace");
  });
  // Links within the results (more results, a commune chosen, a wider radius) load in place.
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-live]");
    if (a && e.button === 0 && !e.ctrlKey && !e.metaKey && !e.shiftKey && !e.altKey) {
      e.preventDefault();
      var href = a.getAttribute("href").split("#");
      load(href[0], "push", href[1]);
      return;
    }
    if (e.target.id !== "locate") return;
    say("Recherche de votre position…", false);
    navigator.geolocation.getCurrentPosition(function (pos) {
      $("q").value = "";
      load(formURL(function (p) {
        p.delete("q"); p.set("lat", pos.coords.latitude.toFixed(5)); p.set("lon", pos.coords.longitude.toFixed(5));
      }), "push");
    }, function () { say("Position indisponible : saisissez une commune.", true); });
  });
  window.addEventListener("popstate", function () {
    // A quick-access link ("#zone") changes only the fragment: the results stay, and so does the focus.
    if (location.pathname + location.search === shown) return;
    load(location.pathname + location.search, "pop");
  });
  $("locate").hidden = !navigator.geolocation;
  drawMap(latest);
})();
</script>
"""#
}
