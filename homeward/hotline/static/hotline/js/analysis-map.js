// The destination map: the countries drawn as SVG paths (equirectangular,
// no tiles, no map library — the page also carries Chart.js and must stay
// light), each shaded by its number of contacts. A hidden count ("<k")
// is hatched and never shaded by size. The same numbers are in the table
// "Destination countries" after the map.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 360;
  var TOP = 84;     // latitude at the top edge
  var BOTTOM = -58; // latitude at the bottom edge

  function el(name, attributes) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    return node;
  }

  function ringPath(ring) {
    return ring.map(function (point, index) {
      return (index ? "L" : "M") + (point[0] + 180).toFixed(1) + " " + (TOP - point[1]).toFixed(1);
    }).join("") + "Z";
  }

  function featurePath(geometry) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    return polygons.map(function (polygon) { return polygon.map(ringPath).join(""); }).join("");
  }

  // The part of the world that holds every country with contacts, padded,
  // at least a quarter of the world wide, in the map's proportions.
  function frame(features) {
    var box = null;
    features.forEach(function (feature) {
      var polygons = feature.geometry.type === "Polygon" ? [feature.geometry.coordinates]
        : feature.geometry.coordinates;
      polygons.forEach(function (polygon) {
        polygon[0].forEach(function (point) {
          var x = point[0] + 180;
          var y = TOP - point[1];
          box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x),
                       Math.max(box[3], y)] : [x, y, x, y];
        });
      });
    });
    var height = TOP - BOTTOM;
    if (!box) { return [0, 0, WIDTH, height]; }
    var ratio = WIDTH / height;
    var w = Math.max(box[2] - box[0] + 20, 90);
    var h = Math.max(box[3] - box[1] + 20, w / ratio);
    w = Math.max(w, h * ratio);
    if (w > WIDTH || h > height) { return [0, 0, WIDTH, height]; }
    var x = Math.min(Math.max((box[0] + box[2]) / 2 - w / 2, 0), WIDTH - w);
    var y = Math.min(Math.max((box[1] + box[3]) / 2 - h / 2, 0), height - h);
    return [x, y, w, h];
  }

  function colour(value, max) {
    // From a pale orange to a dark red, by the square root of the share.
    var share = max > 0 ? Math.sqrt(value / max) : 0;
    var from = [253, 224, 197];
    var to = [179, 65, 42];
    var mix = from.map(function (channel, i) { return Math.round(channel + (to[i] - channel) * share); });
    return "rgb(" + mix.join(",") + ")";
  }

  function hatch(svg) {
    var defs = el("defs");
    var pattern = el("pattern", { id: "hatch", width: "4", height: "4", patternUnits: "userSpaceOnUse",
                                  patternTransform: "rotate(45)" });
    pattern.appendChild(el("rect", { width: "4", height: "4", fill: "#e6e6e6" }));
    pattern.appendChild(el("line", { x1: "0", y1: "0", x2: "0", y2: "4", stroke: "#9aa3ad",
                                     "stroke-width": "1.5" }));
    defs.appendChild(pattern);
    svg.appendChild(defs);
  }

  function draw(element, world, rows) {
    var byIso = {};
    var max = 0;
    rows.forEach(function (row) {
      byIso[row.iso] = row;
      if (row.value) { max = Math.max(max, row.value); }
    });
    var hiddenLabel = element.getAttribute("data-hidden-label") || "";
    var view = frame(world.features.filter(function (feature) {
      return byIso[feature.properties.iso];
    }));
    var svg = el("svg", { viewBox: view.map(function (n) { return n.toFixed(1); }).join(" "),
                          preserveAspectRatio: "xMidYMid meet", "aria-hidden": "true" });
    hatch(svg);
    var shaded = 0;
    world.features.forEach(function (feature) {
      var row = byIso[feature.properties.iso];
      var path = el("path", { d: featurePath(feature.geometry) });
      var title = el("title");
      if (row && row.value) {
        path.setAttribute("fill", colour(row.value, max));
        title.textContent = row.name + ": " + row.display;
        shaded += 1;
      } else if (row) {
        path.setAttribute("class", "hidden-count");
        title.textContent = row.name + ": " + row.display + " (" + hiddenLabel + ")";
        shaded += 1;
      } else {
        path.setAttribute("class", "no-data");
        title.textContent = feature.properties.name;
      }
      path.appendChild(title);
      svg.appendChild(path);
    });
    element.appendChild(svg);
    element.setAttribute("data-countries", String(world.features.length));
    element.setAttribute("data-shaded", String(shaded));
  }

  function start() {
    var element = document.getElementById("analysis-map");
    if (!element) { return; }
    var source = document.getElementById(element.getAttribute("data-source"));
    var rows = source ? JSON.parse(source.textContent) : [];
    fetch(element.getAttribute("data-world-url"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (world) { draw(element, world, rows); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
