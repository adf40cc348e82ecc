{% load static %}{% autoescape off %}/* The survey's service worker: once the survey has opened, the rest of it works offline.

   - Survey pages: network first, else the copy cached when the survey opened (the page script
     asks for every page of the response to be cached) or when last visited.
   - Static files: served from the cache and refreshed in the background.
   - A page sent while offline is queued on the phone (IndexedDB, Workbox background sync), in
     order, and sent when the connection returns; the browser moves on to the page the page
     script worked out (offline_next). The server accepts each submission once (its
     submission_key), so a replay or a double tap changes nothing.
   Workbox comes from the npm packages, served as static files. */
importScripts(
  "{% static 'vendor/workbox-core/workbox-core.prod.js' %}",
  "{% static 'vendor/workbox-routing/workbox-routing.prod.js' %}",
  "{% static 'vendor/workbox-strategies/workbox-strategies.prod.js' %}",
  "{% static 'vendor/workbox-cacheable-response/workbox-cacheable-response.prod.js' %}",
  "{% static 'vendor/workbox-expiration/workbox-expiration.prod.js' %}",
  "{% static 'vendor/workbox-background-sync/workbox-background-sync.prod.js' %}"
);

var PAGE_CACHE = "ost-survey-pages-v1";
var ASSET_CACHE = "ost-survey-assets-v1";
var PAGE_PATH = /^\/survey\/r\/[0-9a-f-]{36}\/page\/[A-Za-z0-9_-]+\/$/;
var SURVEY_PATH = /^\/survey\/[A-Za-z0-9_-]+\/$/;
var STATIC_PREFIX = "{% get_static_prefix %}";
var MATCH = { ignoreVary: true, ignoreSearch: true };
var OFFLINE_HTML =
  '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1">' +
  "<title>Offline · Sin conexión</title></head><body><main>" +
  "<h1>This page is not on this phone yet</h1>" +
  "<p>Your answers are saved on this phone. Go back and keep going, or open this page again when you are online.</p>" +
  '<h1 lang="es">Esta página aún no está en este teléfono</h1>' +
  '<p lang="es">Sus respuestas están guardadas en este teléfono. Vuelva atrás y continúe, o abra esta página cuando tenga conexión.</p>' +
  "</main></body></html>";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

var queue = new workbox.backgroundSync.Queue("ost-survey-submissions", {
  maxRetentionTime: 60 * 24 * 30,  // minutes: as long as a resume link works
  onSync: function () { return replay(); }
});

function broadcast(message) {
  return self.clients.matchAll({ includeUncontrolled: true, type: "window" }).then(function (clients) {
    clients.forEach(function (client) { client.postMessage(message); });
  });
}

var replaying = null;

/* Send the queued pages in the order they were submitted. A network failure puts the page
   back at the head of the queue and stops; an answer from the server (saved, or "check this
   page") takes it off the queue: the server kept a draft of anything it could not save. */
function replay() {
  if (replaying) { return replaying; }
  replaying = (async function () {
    var attention = [];
    var sent = 0;
    var entry = await queue.shiftRequest();
    if (!entry) { return; }
    await broadcast({ type: "sending" });
    while (entry) {
      var response;
      try {
        response = await fetch(entry.request.clone());
      } catch (error) {
        await queue.unshiftRequest(entry);
        await broadcast({ type: "queued", size: await queue.size() });
        throw error;
      }
      if (response.status >= 500 || response.status === 429) {
        await queue.unshiftRequest(entry);
        await broadcast({ type: "queued", size: await queue.size() });
        throw new Error("server busy: " + response.status);
      }
      sent += 1;
      if (response.type !== "opaqueredirect" && response.status >= 400) {
        attention.push(new URL(entry.request.url).pathname);
      }
      entry = await queue.shiftRequest();
    }
    await broadcast({ type: "sent", sent: sent, attention: attention });
  })().finally(function () { replaying = null; });
  return replaying;
}

async function submitPage(event) {
  var request = event.request;
  var copy = request.clone();
  if ((await queue.size()) > 0) {
    try { await replay(); } catch (error) { /* still offline: this page queues behind */ }
  }
  if ((await queue.size()) === 0) {
    try {
      return await fetch(request);
    } catch (error) { /* offline: queue it below */ }
  }
  var form = await copy.formData();
  var next = form.get("offline_next") || request.url;
  var body = new URLSearchParams();
  form.forEach(function (value, name) {
    if (typeof value === "string") { body.append(name, value); }
  });
  await queue.pushRequest({
    request: new Request(request.url, {
      method: "POST",
      body: body.toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Survey-Offline": "1" },
      credentials: "same-origin",
      redirect: "manual"
    })
  });
  var target = new URL(next, self.location.origin);
  if (target.origin !== self.location.origin) { target = new URL(request.url); }
  target.searchParams.set("queued", "1");
  return Response.redirect(target.href, 303);
}

self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (event.request.method === "POST" && url.origin === self.location.origin &&
      PAGE_PATH.test(url.pathname)) {
    event.respondWith(submitPage(event));
  }
});

var pageStrategy = new workbox.strategies.NetworkFirst({
  cacheName: PAGE_CACHE,
  networkTimeoutSeconds: 6,
  matchOptions: MATCH,
  plugins: [new workbox.cacheableResponse.CacheableResponsePlugin({ statuses: [200] })]
});

workbox.routing.registerRoute(function (options) {
  var url = options.url;
  return url.origin === self.location.origin &&
    (PAGE_PATH.test(url.pathname) || SURVEY_PATH.test(url.pathname));
}, pageStrategy);

workbox.routing.registerRoute(function (options) {
  return options.url.origin === self.location.origin &&
    options.url.pathname.indexOf(STATIC_PREFIX) === 0;
}, new workbox.strategies.StaleWhileRevalidate({
  cacheName: ASSET_CACHE,
  plugins: [
    new workbox.cacheableResponse.CacheableResponsePlugin({ statuses: [200] }),
    new workbox.expiration.ExpirationPlugin({ maxEntries: 80 })
  ]
}));

workbox.routing.setCatchHandler(function (options) {
  if (options.request.mode === "navigate") {
    return Promise.resolve(new Response(OFFLINE_HTML, {
      status: 503, headers: { "Content-Type": "text/html; charset=utf-8" }
    }));
  }
  return Promise.resolve(Response.error());
});

async function cacheUrls(cacheName, urls, headers) {
  var cache = await caches.open(cacheName);
  for (var i = 0; i < urls.length; i += 1) {
    var url = new URL(urls[i], self.location.origin);
    if (url.origin !== self.location.origin) { continue; }
    if (await cache.match(url.href, MATCH)) { continue; }
    for (var attempt = 0; attempt < 3; attempt += 1) {
      var response;
      try {
        response = await fetch(url.href, { credentials: "same-origin", headers: headers, redirect: "manual" });
      } catch (error) { return; }  // offline: try again on the next page
      if (response.status === 200) { await cache.put(url.href, response); }
      if (response.status < 500) { break; }
      await new Promise(function (resolve) { setTimeout(resolve, 700 * (attempt + 1)); });
    }
  }
}

async function forget(prefix) {
  var cache = await caches.open(PAGE_CACHE);
  var keys = await cache.keys();
  await Promise.all(keys.filter(function (request) {
    return new URL(request.url).pathname.indexOf(prefix) === 0;
  }).map(function (request) { return cache.delete(request); }));
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = function (message) { if (event.source) { event.source.postMessage(message); } };
  if (data.type === "cache") {
    event.waitUntil(cacheUrls(ASSET_CACHE, data.assets || [], {}).then(function () {
      return cacheUrls(PAGE_CACHE, data.pages || [], { "X-Survey-Prefetch": "1" });
    }).then(function () { reply({ type: "cached" }); }));
  } else if (data.type === "status") {
    event.waitUntil(queue.size().then(function (size) { reply({ type: "status", size: size }); }));
  } else if (data.type === "replay") {
    event.waitUntil(replay().catch(function () { /* still offline */ }));
  } else if (data.type === "forget" && typeof data.prefix === "string") {
    event.waitUntil(forget(data.prefix));
  }
});
{% endautoescape %}
