// The directory map: a world outline (no external tiles) and one circle per
// entry the visitor may see. Data come from the page's data- attributes;
// the table under the map carries the same entries without JavaScript.
(function () {
  "use strict";

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
        return response.json();
      });
  }

  function popupFor(entry, openLabel) {
    // Built from DOM nodes, never HTML strings: names are user data.
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = entry.name;
    box.appendChild(title);
    var meta = document.createElement("div");
    meta.textContent = entry.kind + (entry.city ? " · " + entry.city : "");
    box.appendChild(meta);
    var link = document.createElement("a");
    link.href = entry.url;
    link.textContent = openLabel;
    box.appendChild(link);
    return box;
  }

  function draw(element) {
    var map = L.map(element, {
      attributionControl: false,
      worldCopyJump: false,
      minZoom: 1,
      maxZoom: 12,
      maxBounds: [[-85, -200], [85, 200]],
    }).setView([45, 40], 2);

    var openLabel = element.getAttribute("data-open-label") || "Open";
    // The outline first, so that the markers are drawn above it.
    getJSON(element.getAttribute("data-world-url")).then(function (world) {
      L.geoJSON(world, {
        interactive: false,
        style: { color: "#7d8b99", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 },
      }).addTo(map);
    }).then(function () {
      return getJSON(element.getAttribute("data-entries-url"));
    }).then(function (data) {
      var points = [];
      data.entries.forEach(function (entry) {
        var marker = L.circleMarker([entry.lat, entry.lon], {
          radius: 7, color: "#ffffff", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.9,
        });
        marker.bindPopup(popupFor(entry, openLabel));
        marker.bindTooltip(entry.name);
        marker.addTo(map);
        points.push([entry.lat, entry.lon]);
      });
      if (points.length) {
        map.fitBounds(points, { padding: [40, 40], maxZoom: 6 });
      }
      element.setAttribute("data-markers", String(points.length));
    });
  }

  function start() {
    var element = document.getElementById("directory-map");
    if (element && window.L) { draw(element); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
