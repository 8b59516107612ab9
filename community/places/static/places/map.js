/* Maps drawn from the GeoJSON embedded in the page ({% places_map %}): district outlines,
   clustered markers with a link each, tiles only if configured. Without JavaScript (or if
   Leaflet fails) the map stays hidden and the list after it shows the same places. */
(function () {
  "use strict";

  function readJson(text) {
    return text ? JSON.parse(text) : { type: "FeatureCollection", features: [] };
  }

  function popup(feature, openLabel) {
    var p = feature.properties || {};
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.title;
    box.appendChild(link);
    var meta = [p.kind_label, p.status_label, p.district].filter(Boolean).join(" · ");
    if (meta) {
      var line = document.createElement("div");
      line.textContent = meta;
      box.appendChild(line);
    }
    link.setAttribute("aria-label", openLabel + ": " + p.title);
    return box;
  }

  function draw(el) {
    var L = window.L;
    if (!L || !L.markerClusterGroup) return;
    var points = readJson(el.dataset.pointsJson);
    var districts = readJson(el.dataset.districtsJson);
    el.hidden = false;
    var map = L.map(el, {
      scrollWheelZoom: false,
      attributionControl: true,
      // Marker clustering needs a highest zoom; with no tile layer the map has none of its own.
      maxZoom: 19,
    });
    el.setAttribute("data-map-ready", "");
    var note = document.querySelector('[data-map-note="' + el.id + '"]');
    if (el.dataset.tileUrl) {
      var failures = 0;
      var tiles = L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: "" });
      if (el.dataset.attribution) {
        // Plain text: Leaflet would read the attribution as HTML.
        var credit = document.createElement("span");
        credit.textContent = el.dataset.attribution;
        map.attributionControl.addAttribution(credit.innerHTML);
      }
      tiles.on("tileerror", function () {
        failures += 1;
        if (failures === 1 && note) {
          note.textContent = el.dataset.tilesFailed;
          note.hidden = false;
        }
      });
      tiles.addTo(map);
    }
    var outlines = L.geoJSON(districts, {
      style: function (feature) {
        var chosen = feature.properties.slug === el.dataset.selected;
        return { color: "#1f2937", weight: chosen ? 3 : 1, fillOpacity: chosen ? 0.12 : 0.04 };
      },
      interactive: false,
    }).addTo(map);
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false });
    L.geoJSON(points, {
      pointToLayer: function (feature, latlng) {
        var title = (feature.properties || {}).title || "";
        return L.marker(latlng, { title: title, alt: title, keyboard: true });
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(popup(feature, el.dataset.openLabel));
      },
    }).addTo(cluster);
    map.addLayer(cluster);
    var bounds = cluster.getLayers().length ? cluster.getBounds() : outlines.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { maxZoom: 16, padding: [24, 24] });
    } else {
      map.setView([0, 0], 1);
    }
  }

  function locate(button) {
    var form = button.form;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (!navigator.geolocation) return;
      var status = document.getElementById(button.dataset.status);
      if (status) status.textContent = button.dataset.finding;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.elements.near_latitude.value = position.coords.latitude.toFixed(5);
          form.elements.near_longitude.value = position.coords.longitude.toFixed(5);
          if (form.elements.district) form.elements.district.value = "";
          form.submit();
        },
        function () {
          if (status) status.textContent = button.dataset.failed;
        },
        { timeout: 10000, maximumAge: 60000 }
      );
    });
  }

  function pick(el) {
    // Click-to-pick on forms: fills the latitude and longitude fields named in the element.
    var L = window.L;
    if (!L) return;
    var lat = document.getElementById(el.dataset.latitude);
    var lng = document.getElementById(el.dataset.longitude);
    if (!lat || !lng) return;
    var districts = readJson(el.dataset.districtsJson);
    el.hidden = false;
    var help = el.parentNode.querySelector("[data-places-pick-help]");
    if (help) help.hidden = false;
    // A shortcut for the number fields (the keyboard path): no focus, no controls.
    var map = L.map(el, {
      scrollWheelZoom: false,
      keyboard: false,
      zoomControl: false,
      attributionControl: false,
    });
    if (el.dataset.tileUrl) L.tileLayer(el.dataset.tileUrl, { maxZoom: 19 }).addTo(map);
    var outlines = L.geoJSON(districts, {
      style: { color: "#1f2937", weight: 1, fillOpacity: 0.04 },
      interactive: false,
    }).addTo(map);
    var marker = null;
    function place(latlng) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.marker(latlng, { keyboard: false }).addTo(map);
    }
    if (lat.value && lng.value) place([parseFloat(lat.value), parseFloat(lng.value)]);
    map.on("click", function (event) {
      place(event.latlng);
      lat.value = event.latlng.lat.toFixed(6);
      lng.value = event.latlng.lng.toFixed(6);
    });
    var bounds = outlines.getBounds();
    if (marker) map.setView(marker.getLatLng(), 15);
    else if (bounds.isValid()) map.fitBounds(bounds);
    else map.setView([0, 0], 1);
  }

  function start() {
    document.querySelectorAll("[data-places-map]").forEach(draw);
    document.querySelectorAll("[data-places-pick]").forEach(pick);
    document.querySelectorAll("[data-places-locate]").forEach(locate);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
