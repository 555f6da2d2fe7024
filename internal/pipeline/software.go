package pipeline

import "strings"

// Software identifies the code that made a run. cmd/jeugd reads it from
// the binary's build information (or an -ldflags override); the manifest,
// the XLSX summary and the report footer show it.
type Software struct {
	Version  string `json:"-"`                  // the manifest's software_version
	Revision string `json:"revision"`           // VCS revision; empty when the build recorded none
	Time     string `json:"time,omitempty"`     // commit time of Revision
	Modified bool   `json:"modified,omitempty"` // built with changes that are not in Revision
}

// Text is the version as people read it: the version, followed by the
// short revision when the version does not already hold it (a tag or an
// -ldflags version).
func (s Software) Text() string {
	v := s.Version
	if v == "" {
		v = "unknown"
	}
	if s.Revision == "" {
		return v
	}
	short := s.Revision[:min(len(s.Revision), 12)]
	if strings.Contains(v, short) {
		return v
	}
	rev := "revisie " + short
	if s.Modified {
		rev += ", gewijzigd"
	}
	return v + " (" + rev + ")"
}

// SoftwareText is the run's software as people read it.
func (m *Manifest) SoftwareText() string {
	s := Software{Version: m.Software}
	if m.Build != nil {
		s.Revision, s.Time, s.Modified = m.Build.Revision, m.Build.Time, m.Build.Modified
	}
	return s.Text()
}
