// Package browsertest drives a real headless Chromium over the Chrome
// DevTools Protocol for tests: start a browser with a throw-away profile and
// no name resolution (so nothing can leave the machine), open pages, fill
// forms, run JavaScript, and list every request the page made.
//
// It is written on the standard library alone (the module has no WebSocket
// or CDP package) and is only as large as Haven's browser tests need. Tests
// call Require first: without a Chromium it skips with a visible message,
// or fails when CI=true, where .ci/run installs Debian's chromium.
package browsertest
