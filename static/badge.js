// Dialogue badge codes in the browser, for the scanner when the network is down: read a code,
// verify its Ed25519 signature with the event's public keys (WebCrypto), and decide what an
// offline door may decide (the server decides everything else when the scans are uploaded).
// A code is "D1" + base32 (RFC 4648, uppercase, no padding) of
//   version (1) | key id (1) | event tag (4) | registration id (16) | signature (64),
// signed over "dialogue-badge-v1" + the first 22 bytes. Loaded by the page as a script and by
// the Node unit tests as a CommonJS module.
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.DialogueBadge = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  var CONTEXT = "dialogue-badge-v1";
  var PAYLOAD = 22;
  var LENGTH = PAYLOAD + 64;

  /** Uppercase base32 without padding to bytes; `null` for anything else. */
  function base32(text) {
    var bits = 0;
    var value = 0;
    var out = [];
    for (var i = 0; i < text.length; i++) {
      var index = ALPHABET.indexOf(text[i]);
      if (index < 0) { return null; }
      value = (value << 5) | index;
      bits += 5;
      if (bits >= 8) {
        out.push((value >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    // Leftover bits must be zero padding, as the encoder writes them.
    if (bits >= 5 || (value & ((1 << bits) - 1)) !== 0) { return null; }
    return new Uint8Array(out);
  }

  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function fromHex(text) {
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) { out[i] = parseInt(text.substr(i * 2, 2), 16); }
    return out;
  }

  function uuid(bytes) {
    var h = hex(bytes);
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" +
      h.slice(16, 20) + "-" + h.slice(20);
  }

  /** What a scanned text says, or `null` when it is not a Dialogue badge code. */
  function parse(scanned) {
    var text = String(scanned || "").trim();
    if (text.length > 200 || text.slice(0, 2) !== "D1") { return null; }
    var bytes = base32(text.slice(2));
    if (!bytes || bytes.length !== LENGTH || bytes[0] !== 1) { return null; }
    return {
      kid: bytes[1],
      eventTag: hex(bytes.subarray(2, 6)),
      registrationId: uuid(bytes.subarray(6, 22)),
      payload: bytes.subarray(0, PAYLOAD),
      signature: bytes.subarray(PAYLOAD)
    };
  }

  /**
   * Whether the code's signature is the key's (`publicKeyHex`: 32 bytes, hex): with the
   * browser's WebCrypto Ed25519 where it has it, else with the vendored @noble/ed25519 in
   * strict RFC 8032 mode (`options.fallback()` loads it; `options.subtle` replaces WebCrypto).
   */
  function verify(parsed, publicKeyHex, options) {
    options = options || {};
    var subtle = options.subtle || (typeof crypto !== "undefined" && crypto.subtle);
    var context = new TextEncoder().encode(CONTEXT);
    var message = new Uint8Array(context.length + parsed.payload.length);
    message.set(context, 0);
    message.set(parsed.payload, context.length);
    var key = fromHex(publicKeyHex);
    var fallback = function () {
      if (!options.fallback) { return false; }
      return options.fallback().then(function (noble) {
        return noble.verifyAsync(parsed.signature, message, key, { zip215: false });
      }).catch(function () { return false; });
    };
    if (!subtle) { return Promise.resolve(fallback()); }
    return subtle.importKey("raw", key, { name: "Ed25519" }, false, ["verify"])
      .then(function (imported) {
        return subtle.verify("Ed25519", imported, parsed.signature, message)
          .catch(function () { return false; });
      }, fallback);
  }

  /** The door a scan is at: a session's id, or "" for the venue entrance. */
  function doorOf(scan) { return scan.session_id || ""; }

  /**
   * What an offline door decides for `scanned` with the offline kit `kit`
   * (`{keys: [{kid, public_key}], event_tag, revoked: [registration ids]}`) and the scans
   * kept on this device (`kept`: `[{registration_id, session_id, direction}]`):
   * `invalid`, `wrong_event`, `revoked`, `already_checked_in` (admitted here offline
   * already), or `queued` (admitted, to be sent). Answers `{result, registrationId}`.
   * `options` are [`verify`]'s.
   */
  function decide(scanned, kit, kept, door, direction, options) {
    var parsed = parse(scanned);
    if (!parsed) { return Promise.resolve({ result: "invalid" }); }
    var key = (kit.keys || []).filter(function (k) { return k.kid === parsed.kid; })[0];
    if (!key) { return Promise.resolve({ result: "invalid" }); }
    return verify(parsed, key.public_key, options).then(function (genuine) {
      var id = parsed.registrationId;
      if (!genuine) { return { result: "invalid" }; }
      if (parsed.eventTag !== kit.event_tag) { return { result: "wrong_event", registrationId: id }; }
      if ((kit.revoked || []).indexOf(id) >= 0) { return { result: "revoked", registrationId: id }; }
      if (direction !== "exit" && admittedHere(kept, id, door)) {
        return { result: "already_checked_in", registrationId: id };
      }
      return { result: "queued", registrationId: id };
    });
  }

  /** Whether the latest kept scan of `id` at `door` let them in (so they are inside). */
  function admittedHere(kept, id, door) {
    var last = null;
    (kept || []).forEach(function (scan) {
      if (scan.registration_id === id && doorOf(scan) === (door || "")) { last = scan; }
    });
    return !!last && last.direction !== "exit";
  }

  return {
    parse: parse,
    verify: verify,
    decide: decide,
    admittedHere: admittedHere,
    base32: base32
  };
});
