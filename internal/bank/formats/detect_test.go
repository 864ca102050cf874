package formats

import (
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	const (
		md5 = "0123456789abcdef0123456789abcdef"
		h   = "facd8bcb2a49bcebdec1985298d5fe84bcd006c187c598c720c3c087b3fdb318"
	)
	tests := []struct{ head, want string }{
		{"\xEF\xBB\xBF{\"@odata.context\":\"x\",\"value\":[", VICS},
		{"\xFF\xFE{\x00\"\x00v\x00a\x00l\x00u\x00e\x00\"\x00:\x00[\x00{\x00\"\x00M\x00D\x005\x00\"\x00", VICS},
		{`{"count":1,"hashRecords":[`, StopNCII},
		{`<?xml version="1.0"?>` + "\n<!-- x -->\n<queryResult xmlns=\"x\">", NCMEC},
		{`<?xml version="1.0" encoding="utf-16"?><ReportIndex>`, C4P},
		{h + ",100,a.jpg\n", HavenHash},
		{"# c\n\ncollab,signal_type,signal_str,category,tags\n", TECSV},
		{h + ",3047058802049882,2020-05-12T16:38:37+0000,a b\n", TECSV}, // a descriptor id is never a 0..100 quality
		{"pdq " + h + "\nmd5 " + md5 + "\n", Pytx},
		{"MD5\r\n" + md5 + "\r\n", Plain},
		{h + "\n", Plain},
		{"hello world\n", ""},
		{`{"pdq":["a"]}`, ""},
		{"", ""},
	}
	for _, tc := range tests {
		got, ok := Detect([]byte(tc.head))
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("Detect(%.40q) = %q, %v; want %q", tc.head, got, ok, tc.want)
		}
	}
	// A head cut in the middle of a line still detects.
	long := strings.Repeat(md5+"\n", DetectSize/33+10)
	if got, _ := Detect([]byte(long[:DetectSize])); got != Plain {
		t.Errorf("cut head: %q", got)
	}
}
