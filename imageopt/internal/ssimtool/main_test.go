package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadPAM(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.pam")
	os.WriteFile(p, []byte("P7\nWIDTH 2\nHEIGHT 1\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n\x01\x02\x03\x04\x05\x06\x07\x08"), 0o644)
	m, err := readPAM(p)
	if err != nil || m.Rect.Dx() != 2 || m.Pix[7] != 8 {
		t.Fatalf("%v %v", m, err)
	}
	os.WriteFile(p, []byte("P7\nWIDTH 2\nHEIGHT 1\nDEPTH 4\nENDHDR\n\x01"), 0o644)
	if _, err := readPAM(p); err == nil {
		t.Error("short PAM accepted")
	}
}

func TestMakeJPEG(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.jpg")
	makeJPEG(64, 48, p)
	m, err := decodeFile(p)
	if err != nil || m.Bounds().Dx() != 64 || m.Bounds().Dy() != 48 {
		t.Fatalf("%v %v", m.Bounds(), err)
	}
}
