// The scanner's service worker: the page and its files come from the network when it
// answers and from the device's cache when it does not, so /scan reloads offline. API calls
// are never cached (the page keeps its offline kit and its scans in IndexedDB).
"use strict";
var CACHE = "dialogue-scan-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  var page = url.pathname === "/scan";
  if (!page && url.pathname.indexOf("/static/") !== 0) { return; }
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) {
          return cache.put(page ? "/scan" : request, copy);
        });
      }
      return response;
    }).catch(function () {
      return caches.match(page ? "/scan" : request).then(function (hit) {
        return hit || Response.error();
      });
    })
  );
});
