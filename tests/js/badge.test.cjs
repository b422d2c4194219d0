// Unit tests of static/badge.js with Node's built-in runner (`node --test`), against vectors
// a Rust test writes (genuine codes and forgeries signed by Dialogue's own code).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const badge = require(path.join(__dirname, "..", "..", "static", "badge.js"));

const vectors = JSON.parse(fs.readFileSync(process.env.BADGE_VECTORS, "utf8"));
const kit = { keys: vectors.keys, event_tag: vectors.event_tag, revoked: [] };

test("a genuine code is read and admitted", async () => {
  const parsed = badge.parse(vectors.genuine);
  assert.equal(parsed.registrationId, vectors.registration_id);
  assert.equal(parsed.eventTag, vectors.event_tag);
  assert.deepEqual(await badge.decide(vectors.genuine, kit, [], "", "entry"),
    { result: "queued", registrationId: vectors.registration_id });
});

test("one character changed is invalid", async () => {
  assert.equal((await badge.decide(vectors.one_changed, kit, [], "", "entry")).result, "invalid");
});

test("another key's signature is invalid", async () => {
  assert.equal((await badge.decide(vectors.other_key, kit, [], "", "entry")).result, "invalid");
});

test("another event's badge is refused as such", async () => {
  assert.equal((await badge.decide(vectors.other_event, kit, [], "", "entry")).result, "wrong_event");
});

test("garbage, lowercase and over-long texts are invalid", async () => {
  for (const text of ["", "hello", vectors.genuine.toLowerCase(), vectors.genuine + "A",
    "D1" + "A".repeat(300)]) {
    assert.equal((await badge.decide(text, kit, [], "", "entry")).result, "invalid", text);
  }
});

test("a revoked registration is refused", async () => {
  const revoked = { ...kit, revoked: [vectors.registration_id] };
  assert.equal((await badge.decide(vectors.genuine, revoked, [], "", "entry")).result, "revoked");
});

test("the queue refuses a badge admitted offline at the same door, not at another", async () => {
  const kept = [{ registration_id: vectors.registration_id, session_id: null, direction: "entry" }];
  assert.equal((await badge.decide(vectors.genuine, kit, kept, "", "entry")).result,
    "already_checked_in");
  assert.equal((await badge.decide(vectors.genuine, kit, kept, "a-session", "entry")).result,
    "queued");
  const left = kept.concat([{ registration_id: vectors.registration_id, session_id: null,
    direction: "exit" }]);
  assert.equal((await badge.decide(vectors.genuine, kit, left, "", "entry")).result, "queued");
  assert.equal((await badge.decide(vectors.genuine, kit, kept, "", "exit")).result, "queued");
});

test("without WebCrypto Ed25519 the vendored @noble/ed25519 (strict) decides the same", async () => {
  const noble = () => import(require("node:url").pathToFileURL(
    path.join(__dirname, "..", "..", "static", "noble-ed25519.js")).href);
  const noWebCrypto = {
    fallback: noble,
    subtle: { importKey: () => Promise.reject(new Error("NotSupportedError")) }
  };
  assert.deepEqual(await badge.decide(vectors.genuine, kit, [], "", "entry", noWebCrypto),
    { result: "queued", registrationId: vectors.registration_id });
  for (const forged of [vectors.one_changed, vectors.other_key]) {
    assert.equal((await badge.decide(forged, kit, [], "", "entry", noWebCrypto)).result, "invalid");
  }
  assert.equal((await badge.decide(vectors.other_event, kit, [], "", "entry", noWebCrypto)).result,
    "wrong_event");
});
