package browsertest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Page is one browser tab. It is not safe for concurrent use: a test
// drives it from one goroutine, and events are read while it waits for
// answers.
type Page struct {
	ws      *wsConn
	timeout time.Duration
	nextID  int
	events  []Event
	// dialogs, when set, answers JavaScript dialogs (alert, confirm,
	// prompt) as they open; see AnswerDialogs.
	dialogs *bool
}

// AnswerDialogs makes the page accept (or dismiss) every JavaScript dialog
// from now on, as a person clicking OK (or Cancel) would. Without it a
// dialog blocks the page until the test times out.
func (p *Page) AnswerDialogs(accept bool) { p.dialogs = &accept }

// note keeps an event and answers a dialog it announces. The answer's
// reply is not waited for: Call skips replies to other ids.
func (p *Page) note(e Event) error {
	p.events = append(p.events, e)
	if e.Method != "Page.javascriptDialogOpening" || p.dialogs == nil {
		return nil
	}
	p.nextID++
	b, err := json.Marshal(map[string]any{"id": p.nextID, "method": "Page.handleJavaScriptDialog",
		"params": map[string]any{"accept": *p.dialogs}})
	if err != nil {
		return err
	}
	return p.ws.send(b)
}

// Event is a protocol event the browser sent.
type Event struct {
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

// Error is an error answer of the protocol.
type Error struct {
	Method  string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("devtools %s: %s", e.Method, e.Message) }

// Call sends a protocol command and returns its result, keeping the events
// that arrive meanwhile. params nil sends {}.
func (p *Page) Call(method string, params any) (json.RawMessage, error) {
	if params == nil {
		params = struct{}{}
	}
	p.nextID++
	id := p.nextID
	b, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return nil, fmt.Errorf("devtools %s: %w", method, err)
	}
	p.ws.conn.SetDeadline(time.Now().Add(p.timeout))
	if err := p.ws.send(b); err != nil {
		return nil, fmt.Errorf("devtools %s: %w", method, err)
	}
	for {
		m, err := p.ws.recv()
		if err != nil {
			return nil, fmt.Errorf("devtools %s: %w", method, err)
		}
		var r struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *struct{ Message string }
			Event
		}
		if err := json.Unmarshal(m, &r); err != nil {
			return nil, fmt.Errorf("devtools %s: answer: %w", method, err)
		}
		switch {
		case r.ID == 0 && r.Method != "":
			if err := p.note(r.Event); err != nil {
				return nil, fmt.Errorf("devtools %s: %w", method, err)
			}
		case r.ID == id && r.Error != nil:
			return nil, &Error{Method: method, Message: r.Error.Message}
		case r.ID == id:
			return r.Result, nil
		}
	}
}

// Mark returns a position in the event log for WaitEvent.
func (p *Page) Mark() int { return len(p.events) }

// WaitEvent waits for an event named method received at or after mark.
func (p *Page) WaitEvent(method string, mark int) (Event, error) {
	for _, e := range p.events[min(mark, len(p.events)):] {
		if e.Method == method {
			return e, nil
		}
	}
	p.ws.conn.SetDeadline(time.Now().Add(p.timeout))
	for {
		m, err := p.ws.recv()
		if err != nil {
			return Event{}, fmt.Errorf("devtools: waiting for %s: %w", method, err)
		}
		var e Event
		if json.Unmarshal(m, &e) == nil && e.Method != "" {
			if err := p.note(e); err != nil {
				return Event{}, fmt.Errorf("devtools: waiting for %s: %w", method, err)
			}
			if e.Method == method {
				return e, nil
			}
		}
	}
}

// Events returns the events named method received so far ("" for all).
func (p *Page) Events(method string) []Event {
	var out []Event
	for _, e := range p.events {
		if method == "" || e.Method == method {
			out = append(out, e)
		}
	}
	return out
}

// Requests returns the URL of every request the page has started so far,
// from Network.requestWillBeSent (documents, assets, form posts, fetches).
func (p *Page) Requests() []string {
	var urls []string
	for _, e := range p.Events("Network.requestWillBeSent") {
		var r struct{ Request struct{ URL string } }
		if json.Unmarshal(e.Params, &r) == nil {
			urls = append(urls, r.Request.URL)
		}
	}
	return urls
}

// Navigate opens url and waits for its load event.
func (p *Page) Navigate(url string) error {
	return p.AndWait(func() error {
		res, err := p.Call("Page.navigate", map[string]any{"url": url})
		if err != nil {
			return err
		}
		var r struct{ ErrorText string }
		if json.Unmarshal(res, &r) == nil && r.ErrorText != "" {
			return fmt.Errorf("navigate %s: %s", url, r.ErrorText)
		}
		return nil
	})
}

// AndWait runs action (a click that submits a form, a navigation) and
// waits for the next page load it causes.
func (p *Page) AndWait(action func() error) error {
	mark := p.Mark()
	if err := action(); err != nil {
		return err
	}
	_, err := p.WaitEvent("Page.loadEventFired", mark)
	return err
}

// Eval evaluates a JavaScript expression (awaiting a promise) and decodes
// its value into v, which may be nil.
func (p *Page) Eval(expr string, v any) error {
	res, err := p.Call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true})
	if err != nil {
		return err
	}
	var r struct {
		Result           struct{ Value json.RawMessage }
		ExceptionDetails *struct {
			Text      string
			Exception *struct{ Description string }
		}
	}
	if err := json.Unmarshal(res, &r); err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if d := r.ExceptionDetails; d != nil {
		msg := d.Text
		if d.Exception != nil {
			msg = d.Exception.Description
		}
		return fmt.Errorf("eval %s: %s", firstLine(expr), msg)
	}
	if v == nil || len(r.Result.Value) == 0 {
		return nil
	}
	return json.Unmarshal(r.Result.Value, v)
}

// Submit clicks the element selector names (a submit button) and waits
// for the page that the form's answer loads.
func (p *Page) Submit(selector string) error {
	return p.AndWait(func() error {
		return p.Eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q);
			if (!e) throw new Error("no element " + %q); e.click(); })()`, selector, selector), nil)
	})
}

// Fill sets the value of the input or textarea selector names.
func (p *Page) Fill(selector, value string) error {
	return p.Eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q);
		if (!e) throw new Error("no element " + %q); e.value = %q;
		e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); })()`,
		selector, selector, value), nil)
}

// SetFiles puts local files into the file input selector names, as a user
// choosing them would.
func (p *Page) SetFiles(selector string, paths ...string) error {
	doc, err := p.Call("DOM.getDocument", map[string]any{"depth": 0})
	if err != nil {
		return err
	}
	var d struct{ Root struct{ NodeID int64 } }
	if err := json.Unmarshal(doc, &d); err != nil {
		return fmt.Errorf("DOM.getDocument: %w", err)
	}
	res, err := p.Call("DOM.querySelector", map[string]any{"nodeId": d.Root.NodeID, "selector": selector})
	if err != nil {
		return err
	}
	var q struct{ NodeID int64 }
	if err := json.Unmarshal(res, &q); err != nil || q.NodeID == 0 {
		return fmt.Errorf("set files: no element %s", selector)
	}
	_, err = p.Call("DOM.setFileInputFiles", map[string]any{"nodeId": q.NodeID, "files": paths})
	return err
}

// Text returns the text content of the first element selector names.
func (p *Page) Text(selector string) (string, error) {
	var s string
	err := p.Eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q);
		if (!e) throw new Error("no element " + %q); return e.textContent; })()`, selector, selector), &s)
	return s, err
}

// URL returns the page's current location.
func (p *Page) URL() (string, error) {
	var s string
	err := p.Eval(`location.href`, &s)
	return s, err
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
