// Package ui is Haven's web interface: server-rendered HTML pages
// (html/template, parsed from embedded files at start-up) and a few static
// assets, all mounted as routes of the server's one routing table, so that
// every page passes the same authentication, CSRF check and role gate as
// the API, and the route × role policy test covers it.
//
// Pages work without JavaScript; a small embedded script only adds
// confirmations. Nothing is fetched from elsewhere: no CDN, no fonts, and
// the Content-Security-Policy of every page says so. Thumbnails of uploads
// are made in memory, sent inline, blurred and greyscale until a person
// clicks, and never stored.
//
// Handlers follow one shape: parse the form, ask the policy (web.Authorize
// for one object, auth.Decide to filter a list), call the domain service,
// then redirect or re-render with the error.
package ui
