package ui

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/bank/formats"
	"github.com/havenproject/haven/internal/signal"
)

// MaxImportBytes bounds a hash-list upload; the server's own body limit
// (web.Config.MaxBodyBytes) applies first when it is lower.
const MaxImportBytes = 256 << 20

// importReport is what an import did, for the page.
type importReport struct {
	File, Format string
	Result       bank.ImportResult
	Rejections   []string
}

// bankImportForm shows the import form alone, for roles that may write
// into a bank without reading its entries (administrators).
func (u *ui) bankImportForm(w http.ResponseWriter, r *http.Request) {
	b, err := u.bankFor(r, r.PathValue("name"), auth.BankWrite)
	if err != nil {
		u.fromError(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "import", u.newView(r, "Import into "+b.Name, &bankData{Bank: b, Formats: formats.Formats(), CanWrite: true}))
}

// bankImport reads an uploaded hash list in any format formats.Detect
// knows (or the one the form names) and imports it, all or nothing.
func (u *ui) bankImport(w http.ResponseWriter, r *http.Request) {
	b, err := u.bankFor(r, r.PathValue("name"), auth.BankWrite)
	if err != nil {
		u.fromError(w, r, err)
		return
	}
	rep, msg, err := u.importUpload(w, r, b)
	if err != nil {
		u.fromError(w, r, err)
		return
	}
	status := http.StatusOK
	if msg != "" {
		status = http.StatusBadRequest
	}
	page := "import"
	d := &bankData{Bank: b, Formats: formats.Formats(), CanWrite: true, Import: rep}
	if auth.Decide(principal(r), auth.BankRead, bankResource(b)) == nil {
		page = "bank"
		if d, err = u.bankData(r, b); err != nil {
			u.fromError(w, r, err)
			return
		}
		d.Import = rep
	}
	v := u.newView(r, "Bank "+b.Name, d)
	v.Error = msg
	u.render(w, r, status, page, v)
}

// importUpload runs the import. A problem with the upload itself comes
// back as msg, for the page; err is for faults.
func (u *ui) importUpload(w http.ResponseWriter, r *http.Request, b bank.Bank) (rep *importReport, msg string, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxImportBytes)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, fmt.Sprintf("The file is larger than %d MiB.", MaxImportBytes>>20), nil
		}
		return nil, "Choose a hash-list file to import.", nil
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	format := r.PostFormValue("format")
	if format == "" || format == "auto" {
		head, _ := br.Peek(formats.DetectSize)
		var ok bool
		if format, ok = formats.Detect(head); !ok {
			return nil, "Haven cannot tell the format of this file; choose it in the form.", nil
		}
	} else if !slices.Contains(formats.Formats(), format) {
		return nil, "Unknown format.", nil
	}
	opt := formats.Options{Scheme: bank.Scheme(r.PostFormValue("scheme"))}
	if k := r.PostFormValue("kind"); k != "" {
		if opt.Kind, err = signal.ParseKind(k); err != nil {
			return nil, "Unknown hash kind.", nil
		}
	}
	src, err := formats.NewReader(format, br, opt)
	if err != nil {
		return nil, fmt.Sprintf("The file cannot be read as %s: %v", format, err), nil
	}
	res, err := u.Banks.Import(r.Context(), b.Name, src, bank.ImportOptions{AddedBy: principal(r).Name, KeepRejections: 20})
	u.auditChange(r, string(auth.BankWrite), "bank:"+b.Name, fmt.Sprintf("import %s (%s): %d added, %d present, %d rejected",
		hdr.Filename, format, res.Inserted, res.Duplicates, res.Rejected), err)
	u.syncIndex(r)
	rep = &importReport{File: hdr.Filename, Format: format, Result: res}
	for _, rj := range res.Rejections {
		rep.Rejections = append(rep.Rejections, rj.String())
	}
	if err != nil {
		if errors.Is(err, bank.ErrNotFound) {
			return nil, "", err
		}
		// A fatal read error or a store fault: nothing was imported.
		u.Logger.WarnContext(r.Context(), "ui: import failed", "bank", b.Name, "err", err)
		return rep, fmt.Sprintf("Nothing was imported: %v", err), nil
	}
	return rep, "", nil
}
