// Dialogue's scanner for check-in staff. Paired by opening /scan#token=…&event=… (the
// fragment never reaches the server; it is kept in this browser and removed from the address
// at once). Staff choose the door (the venue entrance or one session's door) and the
// direction; badge codes come from a keyboard-wedge scanner (it types the code and Enter into
// the always-focused field) or are typed. Each answer is shown at once, large, with a colour,
// words and a sound; the element #result carries data-result with the API's result name.
(function () {
  "use strict";

  var words = JSON.parse(document.getElementById("scan-words").textContent);
  var STORE = "dialogue.scanner";
  var MUTE = "dialogue.scanner.mute";
  var $ = function (id) { return document.getElementById(id); };

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE)) || null; } catch (e) { return null; }
  }
  function save(state) { localStorage.setItem(STORE, JSON.stringify(state)); }

  // Pairing: the fragment is read once and removed from the address bar. A link for another
  // pairing than the one this device has replaces it only once staff say so: a stray or
  // forged link must not silently unpair a working scanner.
  var offered = null;
  if (location.hash.length > 1) {
    var params = new URLSearchParams(location.hash.slice(1));
    var token = params.get("token");
    var event = params.get("event");
    if (token && event) {
      var previous = load();
      var pairing = {
        token: token,
        event: event,
        door: "",
        direction: "entry",
        device: (previous && previous.device) || "scanner-" + randomId().slice(0, 8)
      };
      if (!previous || !previous.token) {
        save(pairing);
      } else if (previous.token !== token || previous.event !== event) {
        offered = pairing;
      }
    }
    history.replaceState(null, "", location.pathname + location.search);
  }
  if (offered) {
    var ask = $("repair");
    $("repair-current").textContent = previous.event;
    $("repair-offered").textContent = offered.event;
    ask.hidden = false;
    ask.scrollIntoView({ block: "start" });
    $("repair-no").focus();
    $("repair-yes").addEventListener("click", function () {
      save(offered);
      location.reload();
    });
    $("repair-no").addEventListener("click", function () {
      ask.hidden = true;
      focusCode();
    });
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  var state = load();
  if (!state) {
    $("pairing").hidden = false;
    return;
  }
  $("scanner").hidden = false;
  $("event-name").textContent = state.event;
  fetch("/api/v1/events/" + encodeURIComponent(state.event) + "?lang=" + document.documentElement.lang, {
    headers: { "Accept": "application/json" }
  }).then(function (r) { return r.ok ? r.json() : null; }).then(function (event) {
    if (event && event.title) { $("event-name").textContent = event.title; }
  }).catch(function () {});

  function api(path, options) {
    options = options || {};
    options.headers = {
      "Authorization": "Bearer " + state.token,
      "Content-Type": "application/json",
      "Accept": "application/json"
    };
    return fetch("/api/v1/events/" + encodeURIComponent(state.event) + path, options);
  }

  // Doors: the venue entrance and each session's door.
  var door = $("door");
  door.value = state.door || "";
  fetch("/api/v1/events/" + encodeURIComponent(state.event) + "/sessions?limit=500", {
    headers: { "Accept": "application/json" }
  }).then(function (r) { return r.ok ? r.json() : { items: [] }; }).then(function (list) {
    (list.items || []).forEach(function (s) {
      var option = document.createElement("option");
      option.value = s.id;
      option.textContent = s.starts_at.slice(11, 16) + " · " + s.title;
      door.appendChild(option);
    });
    door.value = state.door || "";
  }).catch(function () {});
  door.addEventListener("change", function () {
    state.door = door.value;
    save(state);
    refreshCounts();
    focusCode();
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[name=direction]"), function (radio) {
    radio.checked = radio.value === (state.direction || "entry");
    radio.addEventListener("change", function () {
      state.direction = radio.value;
      save(state);
      focusCode();
    });
  });

  // Sound: one tone pattern per result; muting is remembered.
  var mute = $("mute");
  mute.checked = localStorage.getItem(MUTE) === "1";
  mute.addEventListener("change", function () {
    localStorage.setItem(MUTE, mute.checked ? "1" : "0");
    focusCode();
  });
  var audio = null;
  function beep(result) {
    if (mute.checked) { return; }
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var tones = {
        ok: [[880, 0.12]],
        queued: [[880, 0.08], [1100, 0.08]],
        already_checked_in: [[660, 0.1], [660, 0.1]]
      }[result] || [[220, 0.45]];
      var at = audio.currentTime;
      tones.forEach(function (tone) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.frequency.value = tone[0];
        gain.gain.value = 0.2;
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(at);
        osc.stop(at + tone[1]);
        at += tone[1] + 0.05;
      });
    } catch (e) { /* no sound on this device */ }
  }

  function time(iso) {
    if (!iso) { return ""; }
    var at = new Date(iso);
    return at.toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
  }

  function show(answer) {
    var result = answer.result || "error";
    var box = $("result");
    box.dataset.result = result;
    box.className = "result result-" + result;
    $("result-title").textContent = words["result-" + result] || result;
    var holder = answer.registration;
    $("result-name").textContent = holder ? holder.full_name : "";
    $("result-detail").textContent = holder
      ? [holder.organization, words["category-" + holder.category] || holder.category]
          .filter(Boolean).join(" · ")
      : "";
    $("result-when").textContent = result === "already_checked_in" && answer.first_checked_in_at
      ? words["first-in"].replace("{time}", time(answer.first_checked_in_at))
      : "";
    beep(result);
  }

  // A code from the camera: the time from its frame to the answer shown is recorded.
  function scanFrom(code, frameAt) {
    return scan(code).then(function (result) {
      if (result) {
        window.__scanTimings.push({ result: result, online: navigator.onLine, ms: performance.now() - frameAt });
      }
    });
  }

  var busy = false;
  function scan(code) {
    code = code.trim();
    if (!code || busy) { return Promise.resolve(null); }
    busy = true;
    var body = {
      code: code,
      device: state.device,
      nonce: randomId(),
      direction: state.direction || "entry"
    };
    if (state.door) { body.session_id = state.door; }
    return api("/checkins", { method: "POST", body: JSON.stringify(body) })
      .then(function (r) {
        if (r.status === 401 || r.status === 403) {
          show({ result: "unpaired" });
          return null;
        }
        return r.json();
      })
      .then(function (answer) {
        if (answer) {
          show(answer);
          refreshCounts();
          sync();
        }
      })
      .catch(function () { return offline(code); })
      .then(function () {
        busy = false;
        return $("result").dataset.result;
      });
  }

  // ---- The camera: BarcodeDetector where the browser has it, else zxing-wasm in a worker,
  // a frame at a steady rate; the same code is taken once per few seconds. ----
  var camera = { stream: null, timer: null, busy: false, last: "", lastAt: 0, worker: null, detector: null };
  window.__scanTimings = [];
  function cameraDecode(frameAt, bitmapSource, width, height) {
    if (camera.detector) {
      return camera.detector.detect(bitmapSource).then(function (codes) {
        return codes.length ? codes[0].rawValue : null;
      });
    }
    var canvas = camera.canvas || (camera.canvas = document.createElement("canvas"));
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(bitmapSource, 0, 0, width, height);
    var image = context.getImageData(0, 0, width, height);
    return new Promise(function (resolve) {
      var id = frameAt;
      camera.worker.onmessage = function (e) { if (e.data.id === id) { resolve(e.data.text); } };
      camera.worker.postMessage({ id: id, image: image });
    });
  }
  function cameraTick() {
    var video = $("camera-video");
    if (camera.busy || !camera.stream || video.readyState < 2) { return; }
    camera.busy = true;
    var frameAt = performance.now();
    var scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
    var width = Math.round(video.videoWidth * scale);
    var height = Math.round(video.videoHeight * scale);
    cameraDecode(frameAt, video, width, height).then(function (text) {
      var now = Date.now();
      if (text && !(text === camera.last && now - camera.lastAt < 3000)) {
        camera.last = text;
        camera.lastAt = now;
        return scanFrom(text, frameAt);
      }
    }).catch(function () {}).then(function () { camera.busy = false; });
  }
  function startCamera(deviceId) {
    stopCamera();
    var constraints = { audio: false, video: deviceId ? { deviceId: { exact: deviceId } } : { facingMode: "environment" } };
    return navigator.mediaDevices.getUserMedia(constraints).then(function (stream) {
      camera.stream = stream;
      var video = $("camera-video");
      video.srcObject = stream;
      video.hidden = false;
      video.play().catch(function () {});
      $("camera-error").hidden = true;
      $("camera-start").hidden = true;
      $("camera-stop").hidden = false;
      var track = stream.getVideoTracks()[0];
      var caps = track.getCapabilities ? track.getCapabilities() : {};
      $("torch").hidden = !caps.torch;
      if (!camera.detector && !camera.worker) {
        var box = $("camera");
        if ("BarcodeDetector" in window) {
          camera.detector = new BarcodeDetector({ formats: ["qr_code"] });
        } else {
          camera.worker = new Worker(box.dataset.decoder + "?reader=" + encodeURIComponent(box.dataset.reader) +
            "&wasm=" + encodeURIComponent(box.dataset.wasm));
        }
      }
      camera.timer = setInterval(cameraTick, 150);
      keepAwake();
      return navigator.mediaDevices.enumerateDevices();
    }).then(function (devices) {
      var cameras = devices.filter(function (d) { return d.kind === "videoinput"; });
      var choice = $("camera-choice");
      choice.textContent = "";
      cameras.forEach(function (d, i) {
        var option = document.createElement("option");
        option.value = d.deviceId;
        option.textContent = d.label || ("Camera " + (i + 1));
        choice.appendChild(option);
      });
      var current = camera.stream && camera.stream.getVideoTracks()[0].getSettings().deviceId;
      if (current) { choice.value = current; }
      $("camera-choice-field").hidden = cameras.length < 2;
    }).catch(function () {
      $("camera-error").hidden = false;
    });
  }
  function stopCamera() {
    if (camera.timer) { clearInterval(camera.timer); camera.timer = null; }
    if (camera.stream) { camera.stream.getTracks().forEach(function (t) { t.stop(); }); camera.stream = null; }
    $("camera-video").hidden = true;
    $("camera-start").hidden = false;
    $("camera-stop").hidden = true;
    $("torch").hidden = true;
  }
  $("camera-start").addEventListener("click", function () { startCamera(); });
  $("camera-stop").addEventListener("click", function () { stopCamera(); focusCode(); });
  $("camera-choice").addEventListener("change", function () { startCamera($("camera-choice").value); });
  $("torch").addEventListener("click", function () {
    var track = camera.stream && camera.stream.getVideoTracks()[0];
    if (!track) { return; }
    var on = $("torch").getAttribute("aria-pressed") !== "true";
    track.applyConstraints({ advanced: [{ torch: on }] }).then(function () {
      $("torch").setAttribute("aria-pressed", on ? "true" : "false");
    }).catch(function () {});
  });

  // The screen stays awake while scanning.
  var wakeLock = null;
  function keepAwake() {
    if (!("wakeLock" in navigator) || wakeLock) { return; }
    navigator.wakeLock.request("screen").then(function (lock) {
      wakeLock = lock;
      lock.addEventListener("release", function () { wakeLock = null; });
    }).catch(function () {});
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { keepAwake(); }
  });
  keepAwake();

  // ---- Offline: the kit, the queue of kept scans, and their upload. ----
  var DB = null;
  function idb() {
    if (DB) { return DB; }
    DB = new Promise(function (resolve, reject) {
      var open = indexedDB.open("dialogue-scanner", 1);
      open.onupgradeneeded = function () {
        open.result.createObjectStore("queue", { keyPath: "nonce" });
        open.result.createObjectStore("kit");
      };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = function () { reject(open.error); };
    });
    return DB;
  }
  function tx(store, mode, work) {
    return idb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result = work(t.objectStore(store));
        t.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function kept() { return tx("queue", "readonly", function (s) { return s.getAll(); }); }
  function kitKey() { return state.event; }

  // The offline kit: the event's public keys and tag, and the revoked registrations,
  // refreshed with `after=` (the last revocation number seen) while online.
  function refreshKit() {
    return tx("kit", "readonly", function (s) { return s.get(kitKey()); }).then(function (old) {
      var since = old && typeof old.cursor === "number" ? "?after=" + old.cursor : "";
      return Promise.all([
        api("/checkins/keys").then(function (r) { if (!r.ok) { throw r; } return r.json(); }),
        api("/checkins/revocations" + since).then(function (r) { if (!r.ok) { throw r; } return r.json(); })
      ]).then(function (both) {
        var revoked = (old && old.revoked) || [];
        both[1].revoked.forEach(function (r) {
          if (revoked.indexOf(r.registration_id) < 0) { revoked.push(r.registration_id); }
        });
        var kit = { keys: both[0].keys, event_tag: both[0].event_tag, revoked: revoked, cursor: both[1].cursor };
        return tx("kit", "readwrite", function (s) { s.put(kit, kitKey()); }).then(function () {
          $("scanner").dataset.kit = "ready";
        });
      });
    }).catch(function () {});
  }

  function offline(code) {
    return tx("kit", "readonly", function (s) { return s.get(kitKey()); }).then(function (kit) {
      if (!kit) { show({ result: "error" }); return; }
      return kept().then(function (scans) {
        var door = state.door || "";
        var direction = state.direction || "entry";
        var noble = $("camera").dataset.noble;
        var options = { fallback: function () { return import(noble); } };
        return DialogueBadge.decide(code, kit, scans, door, direction, options).then(function (decided) {
          if (decided.result !== "queued") { show({ result: decided.result }); return; }
          var scan = {
            nonce: randomId(),
            code: code,
            session_id: state.door || null,
            direction: direction,
            scanned_at: new Date().toISOString(),
            device: state.device,
            registration_id: decided.registrationId
          };
          return tx("queue", "readwrite", function (s) { s.put(scan); }).then(function () {
            show({ result: "queued" });
            updateWaiting();
          });
        });
      });
    }).catch(function () { show({ result: "error" }); });
  }

  function updateWaiting() {
    kept().then(function (scans) {
      $("waiting").textContent = scans.length;
    }).catch(function () {});
    var last = localStorage.getItem(STORE + ".uploaded." + state.event);
    $("last-upload").textContent = last ? time(last) : words["never"];
  }

  var syncing = false;
  function sync() {
    if (syncing) { return Promise.resolve(); }
    syncing = true;
    return kept().then(function (scans) {
      if (!scans.length) { return; }
      var body = {
        scans: scans.map(function (s) {
          return {
            code: s.code, session_id: s.session_id, direction: s.direction,
            scanned_at: s.scanned_at, device: s.device, nonce: s.nonce
          };
        })
      };
      return api("/checkins/batch", { method: "POST", body: JSON.stringify(body) })
        .then(function (r) { if (!r.ok) { throw r; } return r.json(); })
        .then(function (answer) {
          var notes = $("sync-notes");
          (answer.results || []).forEach(function (item, i) {
            var result = item.answer && item.answer.result;
            var expected = scans[i].direction === "exit" ? result : "ok";
            if (result && result !== expected) {
              var li = document.createElement("li");
              var who = item.answer.registration ? item.answer.registration.full_name : scans[i].code.slice(0, 12) + "…";
              li.textContent = who + ": " + (words["result-" + result] || result);
              notes.appendChild(li);
            }
          });
          return tx("queue", "readwrite", function (s) {
            scans.forEach(function (scan) { s.delete(scan.nonce); });
          }).then(function () {
            localStorage.setItem(STORE + ".uploaded." + state.event, new Date().toISOString());
            refreshCounts();
          });
        });
    }).catch(function () {}).then(function () {
      syncing = false;
      updateWaiting();
    });
  }

  window.addEventListener("online", function () { sync(); refreshKit(); });
  setInterval(function () { sync(); }, 10000);
  setInterval(function () { refreshKit(); }, 60000);
  refreshKit();
  updateWaiting();
  sync();

  // The page and its files are kept on the device, so a reload works without the network.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/scan-sw.js", { scope: "/scan" }).catch(function () {});
  }
  if (window.caches) {
    var box = $("camera");
    var files = ["/scan", box.dataset.reader, box.dataset.wasm, box.dataset.decoder, box.dataset.noble];
    Array.prototype.forEach.call(document.querySelectorAll("script[src], link[rel=stylesheet]"), function (el) {
      files.push(el.getAttribute("src") || el.getAttribute("href"));
    });
    caches.open("dialogue-scan-v1").then(function (c) { return c.addAll(files); }).catch(function () {});
  }

  var code = $("code");
  function focusCode() {
    // While the scanner asks about a new pairing, the question keeps the focus.
    if (!$("repair").hidden) { return; }
    if (document.activeElement !== $("q")) { code.focus(); }
  }
  $("scan-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var value = code.value;
    code.value = "";
    scan(value);
    focusCode();
  });
  focusCode();

  // Counters for the chosen door: checked in today, confirmed, inside now.
  function refreshCounts() {
    api("/checkins/stats").then(function (r) { return r.ok ? r.json() : null; }).then(function (stats) {
      if (!stats) { return; }
      var figures;
      if (state.door) {
        figures = (stats.sessions || []).filter(function (s) { return s.session_id === state.door; })[0];
      } else {
        var today = new Date();
        var local = today.getFullYear() + "-" + ("0" + (today.getMonth() + 1)).slice(-2) + "-" +
          ("0" + today.getDate()).slice(-2);
        var days = stats.days || [];
        figures = days.filter(function (d) { return d.date === local; })[0] || days[days.length - 1];
      }
      figures = figures || { checked_in: 0, confirmed: 0, inside: 0 };
      $("count-checked-in").textContent = figures.checked_in;
      $("count-confirmed").textContent = figures.confirmed;
      $("count-inside").textContent = figures.inside;
    }).catch(function () {});
  }
  refreshCounts();
  setInterval(refreshCounts, 15000);

  // The help desk: find a delegate by name or organization.
  $("lookup").addEventListener("submit", function (e) {
    e.preventDefault();
    var q = $("q").value.trim();
    var list = $("lookup-results");
    list.textContent = "";
    if (q.length < 2) { return; }
    api("/checkins/attendees?q=" + encodeURIComponent(q)).then(function (r) { return r.json(); })
      .then(function (found) {
        var items = found.items || [];
        if (!items.length) {
          var none = document.createElement("li");
          none.textContent = words["no-match"];
          list.appendChild(none);
        }
        items.forEach(function (a) {
          var li = document.createElement("li");
          li.textContent = [a.full_name, a.organization, words["status-" + a.status] || a.status,
            a.checked_in_today ? words["in-today"] : ""].filter(Boolean).join(" · ");
          list.appendChild(li);
        });
      }).catch(function () {});
  });

  $("sign-out").addEventListener("click", function () {
    localStorage.removeItem(STORE);
    location.reload();
  });
})();
