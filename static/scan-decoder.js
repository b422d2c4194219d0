// The scanner's decoding worker, for browsers without BarcodeDetector: it reads QR codes
// from camera frames with the vendored zxing-wasm (static/README.md), off the page's thread.
// Its URL names the decoder and the wasm file: scan-decoder.js?reader=…&wasm=…
"use strict";
var params = new URL(self.location.href).searchParams;
importScripts(params.get("reader"));
ZXingWASM.prepareZXingModule({
  overrides: {
    locateFile: function (path, prefix) {
      return path.endsWith(".wasm") ? params.get("wasm") : prefix + path;
    }
  },
  fireImmediately: true
});

self.onmessage = function (event) {
  var frame = event.data;
  ZXingWASM.readBarcodes(frame.image, { formats: ["QRCode"], tryHarder: true, maxNumberOfSymbols: 1 })
    .then(function (results) {
      var found = results.filter(function (r) { return r.isValid && r.text; })[0];
      self.postMessage({ id: frame.id, text: found ? found.text : null });
    })
    .catch(function (err) {
      self.postMessage({ id: frame.id, text: null, error: String(err) });
    });
};
