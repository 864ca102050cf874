package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/filehash"
	"github.com/havenproject/haven/internal/media"
	"github.com/havenproject/haven/internal/signal"
)

// maxUploadBytes bounds one file to hash, below the request body limit.
const maxUploadBytes = 32 << 20

// upload is a file sent to be hashed, held in memory only.
type upload struct {
	contentType string // HMA content type: "photo" or "video"
	data        []byte
}

// readUpload reads the one file of a request: multipart/form-data with
// one file whose field name is the HMA content type ("photo" or "video"),
// as HMA's hash_media_from_form_data requires (hashing.py), or a raw body
// (any other Content-Type) taken as a photo. Nothing is written to disk:
// multipart parts are read straight from the body.
func readUpload(r *http.Request) (upload, error) {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		data, err := readLimited(r.Body)
		if err != nil {
			return upload{}, err
		}
		if len(data) == 0 {
			return upload{}, badRequest("Missing multipart/form-data file upload")
		}
		return upload{contentType: "photo", data: data}, nil
	}
	if r.MultipartForm != nil {
		return parsedUpload(r.MultipartForm)
	}
	if params["boundary"] == "" {
		return upload{}, badRequest("multipart body without a boundary")
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	var up upload
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return upload{}, uploadErr(err)
		}
		if part.FileName() == "" {
			io.Copy(io.Discard, io.LimitReader(part, 1<<20))
			continue // a plain form field
		}
		if up.data != nil {
			return upload{}, badRequest("Only one file allowed per request")
		}
		name := part.FormName()
		if name != "photo" && name != "video" {
			return upload{}, badRequest("no such content_type: '%s'", name)
		}
		data, err := readLimited(part)
		if err != nil {
			return upload{}, err
		}
		up = upload{contentType: name, data: data}
	}
	if up.data == nil {
		return upload{}, badRequest("Missing multipart/form-data file upload")
	}
	return up, nil
}

func readLimited(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, maxUploadBytes+1))
	if err != nil {
		return nil, uploadErr(err)
	}
	if n > maxUploadBytes {
		return nil, &inputError{http.StatusRequestEntityTooLarge, "file larger than 32 MiB"}
	}
	return buf.Bytes(), nil
}

func uploadErr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &inputError{http.StatusRequestEntityTooLarge, "request body too large"}
	}
	return badRequest("unreadable upload: %v", err)
}

// hashed is the hashes of one upload.
type hashed struct {
	res     filehash.Result
	signals map[string]string // HMA signal type name → value
}

// hashUpload hashes an upload in memory. A photo gets its PDQ hash (and
// the dihedral variants when asked); both kinds get their digests, named
// as HMA names them ("md5" is HMA's video_md5 for a video).
func (s *Server) hashUpload(r *http.Request, up upload, dihedral bool) (hashed, error) {
	opt := filehash.Options{Dihedral: dihedral, Video: filehash.VideoOptions{Off: true},
		Limits: media.Limits{MaxPixels: s.cfg.MaxUploadPixels, MaxBytes: maxUploadBytes}}
	select {
	case s.hashing <- struct{}{}:
		defer func() { <-s.hashing }()
	case <-r.Context().Done():
		return hashed{}, r.Context().Err()
	}
	res := filehash.Bytes(r.Context(), "upload", up.data, opt)
	h := hashed{res: res, signals: map[string]string{}}
	if up.contentType == "video" {
		h.signals["video_md5"] = res.MD5
		return h, nil
	}
	if res.Err != nil {
		if errors.Is(res.Err, media.ErrTooLarge) {
			return h, &inputError{http.StatusRequestEntityTooLarge, "image too large to hash: " + res.Err.Error()}
		}
		if r.Context().Err() != nil {
			return h, r.Context().Err()
		}
		return h, &inputError{http.StatusUnprocessableEntity, "not an image Haven can hash: " + res.Err.Error()}
	}
	h.signals[string(signal.PDQ)] = res.PDQ.String()
	return h, nil
}

// hmaHash answers POST /h/hash with {signal type: hash} (hashing.py,
// hash_media_post). The optional types parameter (comma-separated) adds
// the digests md5, sha1 and sha256, or selects among them. The upload is
// hashed in memory and nothing of it is kept.
func (s *Server) hmaHash(w http.ResponseWriter, r *http.Request) {
	if !s.uploadAllowed(w, r) {
		return
	}
	up, err := readUpload(r)
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	h, err := s.hashUpload(r, up, false)
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	types := splitList(r.URL.Query().Get("types"))
	if len(types) == 0 {
		writeJSON(w, http.StatusOK, h.signals)
		return
	}
	all := map[string]string{"md5": h.res.MD5, "sha1": h.res.SHA1, "sha256": h.res.SHA256}
	for k, v := range h.signals {
		all[k] = v
	}
	out := map[string]string{}
	for _, t := range types {
		v, ok := all[strings.ToLower(t)]
		if !ok {
			s.fail(w, r, http.StatusBadRequest, "signal type '"+t+"' doesn't exist or is disabled")
			return
		}
		out[strings.ToLower(t)] = v
	}
	writeJSON(w, http.StatusOK, out)
}

// parsedUpload takes the one file of a form the CSRF check already parsed
// (in memory).
func parsedUpload(f *multipart.Form) (upload, error) {
	var up upload
	for name, files := range f.File {
		for _, fh := range files {
			if up.data != nil {
				return upload{}, badRequest("Only one file allowed per request")
			}
			if name != "photo" && name != "video" {
				return upload{}, badRequest("no such content_type: '%s'", name)
			}
			file, err := fh.Open()
			if err != nil {
				return upload{}, uploadErr(err)
			}
			data, err := readLimited(file)
			file.Close()
			if err != nil {
				return upload{}, err
			}
			up = upload{contentType: name, data: data}
		}
	}
	if up.data == nil {
		return upload{}, badRequest("Missing multipart/form-data file upload")
	}
	return up, nil
}

// uploadAllowed takes one upload from the principal's rate; when spent it
// answers 429 with Retry-After and returns false.
func (s *Server) uploadAllowed(w http.ResponseWriter, r *http.Request) bool {
	ok, wait := s.uploads.allow(PrincipalFrom(r.Context()), time.Now())
	if ok {
		return true
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
	s.fail(w, r, http.StatusTooManyRequests, "too many uploads to hash: slow down")
	return false
}
