// Package auth holds who may do what in Haven: organisations, users and
// their roles, password and session handling, API tokens, and the one
// policy function (Decide) that every HTTP handler and command asks before it
// touches data. Handlers never decide access on their own.
//
// The roles follow ../shared/DESIGN.md: each user belongs to one
// organisation and holds one role in it; organisations own data, and a bank
// is visible to its source organisation and to those it is shared with.
package auth
